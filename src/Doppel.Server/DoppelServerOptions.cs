using Doppel.Packs;

namespace Doppel.Server;

/// <summary>Options of the Doppel host. Defaults are ADT's limits where ADT has one.</summary>
public sealed class DoppelServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080;https://127.0.0.1:5443";

    /// <summary>Where models, twins, relationships and the development certificate are kept.</summary>
    public string DataDirectory { get; set; } = "./doppel-data";

    /// <summary>
    /// Full (default): a 2xx means the write is fsync'd and survives power loss. Normal: it survives a crash of the
    /// process (kill -9) but the last writes may be lost on power loss; faster where fsync is slow.
    /// </summary>
    public Doppel.Storage.SynchronousMode Synchronous { get; set; } = Doppel.Storage.SynchronousMode.Full;

    /// <summary>ASP.NET's format: addresses separated by ';'. Port 0 picks a free port.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Load models whose relationship targets or other references are not defined (reported as warnings).</summary>
    public bool LenientModels { get; set; }

    /// <summary>Accept DTDL @context extensions Doppel does not know; null (the default) accepts them in DTDL v2 only, as the specification recommends.</summary>
    public bool? AllowUnknownExtensions { get; set; }

    /// <summary>ADT: max request payload for twins and relationships.</summary>
    public int MaxTwinRequestBytes { get; set; } = 32 * 1024;

    /// <summary>A model upload may carry up to <see cref="MaxModelsPerRequest"/> models of up to 1 MB each in ADT.</summary>
    public int MaxModelRequestBytes { get; set; } = 32 * 1024 * 1024;

    public int MaxModelsPerRequest { get; set; } = 250;

    public int MaxQueryPageSize { get; set; } = 1000;

    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The embedded MQTT broker's port (MQTT 3.1.1 and 5 over TCP); 0 picks a free one; null turns the broker off.</summary>
    public int? MqttPort { get; set; } = 1883;

    /// <summary>The address the embedded broker listens on.</summary>
    public string MqttBindAddress { get; set; } = "127.0.0.1";

    /// <summary>An external broker to subscribe to (bridge mode), e.g. <c>mqtt://127.0.0.1:1883</c>; null for none.</summary>
    public Uri? MqttBridge { get; set; }

    /// <summary>The bridge's MQTT client id: with a persistent session, the broker keeps QoS 1 messages for it while Doppel is down.</summary>
    public string MqttBridgeClientId { get; set; } = "doppel-bridge";

    /// <summary>Topic filters the bridge subscribes to besides the convention topics and every mapping's topic.</summary>
    public IReadOnlyList<string> MqttBridgeTopics { get; set; } = [];

    /// <summary>The largest device message ingested; larger ones are dead-lettered.</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// How far ahead of the server's clock a reading's source time may be; later ones are dead-lettered
    /// (<c>FutureTimestamp</c>), since the newest source time wins a twin's live value.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = Doppel.Ingest.ClockSkew.Default;

    /// <summary>Events the route dispatcher buffers before it counts drops.</summary>
    public int EventDispatchBuffer { get; set; } = 100_000;

    /// <summary>Deliveries queued per endpoint; beyond that, events are dead-lettered as "queueFull".</summary>
    public int EndpointQueueCapacity { get; set; } = 10_000;

    /// <summary>How long a webhook may take to answer before the attempt counts as failed (and is retried).</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events buffered per live-stream subscriber before further ones are dropped (and counted); a subscriber may ask for fewer.</summary>
    public int StreamCapacity { get; set; } = 10_000;

    /// <summary>How often a Server-Sent Events stream sends a comment when idle, so proxies and clients see it is alive.</summary>
    public TimeSpan StreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Scenario and experiment runs that execute at once; each already uses every core for its replications.</summary>
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>Runs that may wait for a free slot; beyond that a submission is refused (429 <c>RunQueueFull</c>).</summary>
    public int MaxQueuedRuns { get; set; } = 16;

    /// <summary>The most replications per scenario a run may ask for: a run holds the server's cores.</summary>
    public int MaxRunReplications { get; set; } = 200;

    /// <summary>The longest simulated duration a run may ask for (in the model's time unit).</summary>
    public double MaxRunDuration { get; set; } = 1e8;

    /// <summary>
    /// The packs this server runs with (an in-process host such as a test passes them); null to discover them beside
    /// the application and in the folders <c>DOPPEL_PACKS</c> names (<see cref="PackCatalog.Discovered"/>).
    /// </summary>
    public IReadOnlyList<IPack>? Packs { get; set; }

    /// <summary>Refuse requests without credentials (API keys, or tokens of <see cref="AuthAuthority"/>), even on loopback.</summary>
    public bool RequireAuthentication { get; set; }

    /// <summary>An OpenID Connect issuer whose JWT bearer tokens are accepted (its discovery document and keys are fetched from it).</summary>
    public Uri? AuthAuthority { get; set; }

    /// <summary>The audience tokens must be issued for; null accepts any audience of the issuer.</summary>
    public string? AuthAudience { get; set; }

    /// <summary>The token claim that carries roles (owner, writer, reader, or ADT's role names).</summary>
    public string AuthRoleClaim { get; set; } = "roles";

    /// <summary>Allow anonymous access although the server listens beyond loopback: explicit, and warned about at start.</summary>
    public bool Insecure { get; set; }

    /// <summary>True when Doppel listens on loopback addresses only (HTTP and the MQTT broker).</summary>
    public bool ListensOnLoopbackOnly =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && IsLoopback(uri.Host))
        && (MqttPort is null || IsLoopback(MqttBindAddress));

    /// <summary>True when authentication is configured: credentials are required.</summary>
    public bool AuthenticationConfigured => RequireAuthentication || AuthAuthority is not null;

    /// <summary>Requests without credentials act as the anonymous owner: only without authentication, on loopback or when <see cref="Insecure"/>.</summary>
    public bool AnonymousAllowed => !AuthenticationConfigured && (ListensOnLoopbackOnly || Insecure);

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>What is wrong with these options, one message each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            errors.Add("The data folder must be named.");
        }
        var urls = Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            errors.Add("At least one URL to listen on is needed.");
        }
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                errors.Add($"'{url}' is not an http:// or https:// address such as http://127.0.0.1:5080.");
            }
        }
        Positive(MaxTwinRequestBytes, nameof(MaxTwinRequestBytes));
        Positive(MaxModelRequestBytes, nameof(MaxModelRequestBytes));
        Positive(MaxModelsPerRequest, nameof(MaxModelsPerRequest));
        Positive(MaxQueryPageSize, nameof(MaxQueryPageSize));
        Positive(MaxMessageBytes, nameof(MaxMessageBytes));
        if (MqttPort is < 0 or > 65535)
        {
            errors.Add($"MqttPort must be 0 to 65535, got {MqttPort}.");
        }
        if (MqttBridge is { } bridge && (!bridge.IsAbsoluteUri || bridge.Scheme is not ("mqtt" or "tcp") || bridge.Port <= 0))
        {
            errors.Add($"The MQTT bridge '{bridge}' must be an address such as mqtt://127.0.0.1:1883.");
        }
        if (MaxClockSkew < TimeSpan.Zero)
        {
            errors.Add($"MaxClockSkew must not be negative, got {MaxClockSkew}.");
        }
        Positive(EventDispatchBuffer, nameof(EventDispatchBuffer));
        Positive(EndpointQueueCapacity, nameof(EndpointQueueCapacity));
        if (WebhookTimeout <= TimeSpan.Zero)
        {
            errors.Add("WebhookTimeout must be positive.");
        }
        if (QueryTimeout <= TimeSpan.Zero)
        {
            errors.Add("QueryTimeout must be positive.");
        }
        Positive(MaxConcurrentRuns, nameof(MaxConcurrentRuns));
        Positive(MaxRunReplications, nameof(MaxRunReplications));
        if (!(MaxRunDuration > 0))
        {
            errors.Add($"MaxRunDuration must be positive, got {MaxRunDuration}.");
        }
        if (MaxQueuedRuns < 0)
        {
            errors.Add($"MaxQueuedRuns must be 0 or more, got {MaxQueuedRuns}.");
        }
        Positive(StreamCapacity, nameof(StreamCapacity));
        if (!AuthenticationConfigured && !Insecure && !ListensOnLoopbackOnly)
        {
            errors.Add("Doppel would listen beyond loopback without authentication: require credentials (--auth-required, with API keys from 'doppel auth keys create'), "
                + "accept an identity provider's tokens (--auth-authority URL), or allow anonymous access anyway with --insecure.");
        }
        if (AuthAuthority is { } authority && (!authority.IsAbsoluteUri || authority.Scheme is not ("https" or "http") || (authority.Scheme == "http" && !authority.IsLoopback)))
        {
            errors.Add($"The OpenID Connect issuer '{authority}' must be an https:// address (http:// only on loopback).");
        }
        if (string.IsNullOrWhiteSpace(AuthRoleClaim))
        {
            errors.Add("AuthRoleClaim must name a claim.");
        }
        if (StreamHeartbeat <= TimeSpan.Zero)
        {
            errors.Add("StreamHeartbeat must be positive.");
        }
        return errors;

        void Positive(int value, string name)
        {
            if (value <= 0)
            {
                errors.Add($"{name} must be positive, got {value}.");
            }
        }
    }
}
