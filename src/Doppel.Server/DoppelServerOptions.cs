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

    /// <summary>A rule's condition that holds again within this time after its alert cleared reopens that alert instead of raising a new one (flapping).</summary>
    public TimeSpan AlertReopenWithin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Scenario and experiment runs that execute at once; each already uses every core for its replications.</summary>
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>Runs that may wait for a free slot; beyond that a submission is refused (429 <c>RunQueueFull</c>).</summary>
    public int MaxQueuedRuns { get; set; } = 16;

    /// <summary>The most replications per scenario a run may ask for: a run holds the server's cores.</summary>
    public int MaxRunReplications { get; set; } = 200;

    /// <summary>The longest simulated duration a run may ask for (in the model's time unit).</summary>
    public double MaxRunDuration { get; set; } = 1e8;

    // Transport security: the certificate HTTPS and MQTTS present, the MQTTS port, and MQTT client certificates.

    /// <summary>The server's certificate: PEM (with <see cref="CertificateKeyPath"/>, or the key in the same file) or PKCS#12 (.pfx); null for the development certificate.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> when it is in a file of its own.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The password of a PKCS#12 file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The embedded broker's TLS port (MQTTS, 8883 by convention); 0 picks a free one; null for none.</summary>
    public int? MqttsPort { get; set; }

    /// <summary>Whether MQTTS clients are asked for a certificate; one they present is validated either way.</summary>
    public MqttClientCertificateMode MqttClientCertificates { get; set; } = MqttClientCertificateMode.None;

    /// <summary>PEM bundle of the CAs that issue MQTT client certificates; null trusts the system's store.</summary>
    public string? MqttClientCaPath { get; set; }

    /// <summary>
    /// Requests per second each subject may make, queries aside; up to one second's worth may come at once. Beyond it a
    /// request gets 429 <c>QuotaReachedError</c> with <c>Retry-After</c>. 0 turns the limit off. The default is far above
    /// what one core serves, so that it stops a runaway client, not a benchmark.
    /// </summary>
    public int RequestsPerSecond { get; set; } = 100_000;

    /// <summary>Queries (<c>POST /query</c>) per second each subject may run, a budget of their own as in ADT; 0 turns the limit off.</summary>
    public int QueriesPerSecond { get; set; } = 50_000;

    /// <summary>Record every change request (who, what, when, outcome) in <c>audit.db</c>, readable at <c>/doppel/audit</c>.</summary>
    public bool AuditLog { get; set; } = true;

    /// <summary>How long audit records are kept; null keeps them forever.</summary>
    public TimeSpan? AuditRetention { get; set; } = TimeSpan.FromDays(365);

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

    /// <summary>
    /// The client id the web console signs in with at <see cref="AuthAuthority"/> (authorization code with PKCE, a public
    /// client whose redirect URI is the server's root); null: the console offers API keys only.
    /// </summary>
    public string? AuthClientId { get; set; }

    /// <summary>The scopes the console asks the provider for, besides <c>openid</c> (e.g. the API's scope that puts <see cref="AuthAudience"/> in the token).</summary>
    public string? AuthScope { get; set; }

    /// <summary>The token claim that carries roles (owner, writer, reader, or ADT's role names).</summary>
    public string AuthRoleClaim { get; set; } = "roles";

    /// <summary>Allow anonymous access although the server listens beyond loopback: explicit, and warned about at start.</summary>
    public bool Insecure { get; set; }

    /// <summary>True when Doppel listens on loopback addresses only (HTTP and the MQTT broker).</summary>
    public bool ListensOnLoopbackOnly =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && IsLoopback(uri.Host))
        && ((MqttPort is null && MqttsPort is null) || IsLoopback(MqttBindAddress));

    /// <summary>True when authentication is configured: credentials are required.</summary>
    public bool AuthenticationConfigured => RequireAuthentication || AuthAuthority is not null;

    /// <summary>Requests without credentials act as the anonymous owner: only without authentication, on loopback or when <see cref="Insecure"/>.</summary>
    public bool AnonymousAllowed => !AuthenticationConfigured && (ListensOnLoopbackOnly || Insecure);

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>Whether a listener needs <see cref="Hosting.ServerCertificate"/>: an https:// URL, the MQTTS port, or a certificate the user named (checked even if unused).</summary>
    public bool UsesTls => MqttsPort is not null || CertificatePath is not null
        || Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase));

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
        if (MqttsPort is < 0 or > 65535)
        {
            errors.Add($"MqttsPort must be 0 to 65535, got {MqttsPort}.");
        }
        if (MqttsPort is not null && MqttPort is not null && MqttsPort == MqttPort && MqttPort != 0)
        {
            errors.Add($"The MQTT and MQTTS ports must differ; both are {MqttPort}.");
        }
        if (CertificateKeyPath is not null && CertificatePath is null)
        {
            errors.Add("A certificate key (--certificate-key) needs its certificate (--certificate).");
        }
        if (MqttsPort is null && (MqttClientCertificates != MqttClientCertificateMode.None || MqttClientCaPath is not null))
        {
            errors.Add("MQTT client certificates (--mqtt-client-certificates, --mqtt-client-ca) need the MQTTS port (--mqtts-port).");
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
        if (AuthClientId is not null && AuthAuthority is null)
        {
            errors.Add("AuthClientId (--auth-client-id) names the console's client at an OpenID Connect provider: give the provider with --auth-authority too.");
        }
        if (string.IsNullOrWhiteSpace(AuthRoleClaim))
        {
            errors.Add("AuthRoleClaim must name a claim.");
        }
        if (RequestsPerSecond < 0 || QueriesPerSecond < 0)
        {
            errors.Add($"RequestsPerSecond and QueriesPerSecond must be 0 (no limit) or more, got {RequestsPerSecond} and {QueriesPerSecond}.");
        }
        if (AuditRetention <= TimeSpan.Zero)
        {
            errors.Add($"AuditRetention must be positive (or null to keep every record), got {AuditRetention}.");
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
