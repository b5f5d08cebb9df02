namespace Doppel.Server;

/// <summary>Options of the Doppel host.</summary>
public sealed class DoppelServerOptions
{
    public string Urls { get; set; } = "http://127.0.0.1:5080;https://127.0.0.1:5443";
}
