namespace Doppel.Server;

/// <summary>Options of the Doppel host. Defaults are ADT's limits where ADT has one.</summary>
public sealed class DoppelServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080;https://127.0.0.1:5443";

    /// <summary>Where models, twins, relationships and the development certificate are kept.</summary>
    public string DataDirectory { get; set; } = "./doppel-data";

    /// <summary>ASP.NET's format: addresses separated by ';'. Port 0 picks a free port.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Load models whose relationship targets or other references are not defined (reported as warnings).</summary>
    public bool LenientModels { get; set; }

    /// <summary>Accept DTDL @context extensions Doppel does not know.</summary>
    public bool AllowUnknownExtensions { get; set; }

    /// <summary>ADT: max request payload for twins and relationships.</summary>
    public int MaxTwinRequestBytes { get; set; } = 32 * 1024;

    /// <summary>A model upload may carry up to <see cref="MaxModelsPerRequest"/> models of up to 1 MB each in ADT.</summary>
    public int MaxModelRequestBytes { get; set; } = 32 * 1024 * 1024;

    public int MaxModelsPerRequest { get; set; } = 250;

    public int MaxQueryPageSize { get; set; } = 1000;

    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
