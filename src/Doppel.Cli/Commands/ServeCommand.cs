using System.CommandLine;
using Doppel.Server;
using Doppel.Storage;

namespace Doppel.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder for models, twins and the development certificate.", DefaultValueFactory = _ => "./doppel-data" };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, ASP.NET format, ';'-separated.", DefaultValueFactory = _ => DoppelServerOptions.DefaultUrls };
        var lenient = new Option<bool>("--lenient-models") { Description = "Accept models whose relationship targets or other references are undefined (as warnings)." };
        var synchronous = new Option<SynchronousMode>("--synchronous") { Description = "full: a 2xx survives power loss (fsync per group commit); normal: it survives a process crash only.", DefaultValueFactory = _ => SynchronousMode.Full };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "Port of the embedded MQTT broker (0: any free port).", DefaultValueFactory = _ => 1883 };
        var noMqtt = new Option<bool>("--no-mqtt") { Description = "Do not start the embedded MQTT broker." };
        var mqttBind = new Option<string>("--mqtt-bind") { Description = "Address the embedded MQTT broker listens on.", DefaultValueFactory = _ => "127.0.0.1" };
        var bridge = new Option<Uri?>("--mqtt-bridge") { Description = "Also ingest from an external broker, e.g. mqtt://127.0.0.1:1884 (persistent session, QoS 1).", CustomParser = r => AbsoluteUrl(r, "--mqtt-bridge", "mqtt://127.0.0.1:1884") };
        var bridgeTopics = new Option<string[]>("--mqtt-bridge-topic") { Description = "Extra topic filters the bridge subscribes to (besides doppel/twins/# and the mappings' topics).", AllowMultipleArgumentsPerToken = true };
        var maxClockSkew = new Option<TimeSpan>("--max-clock-skew")
        {
            Description = "How far ahead of the server's clock a reading's source time may be (e.g. 30s, 5m, 1h); later readings are dead-lettered as FutureTimestamp.",
            DefaultValueFactory = _ => Doppel.Ingest.ClockSkew.Default,
            CustomParser = result =>
            {
                var parsed = Doppel.History.HistoryDuration.Parse(result.Tokens.Count == 1 ? result.Tokens[0].Value : null, "--max-clock-skew");
                if (!parsed.IsSuccess)
                {
                    result.AddError(parsed.Error.Message);
                }
                return parsed.Value;
            },
        };
        var authRequired = new Option<bool>("--auth-required") { Description = "Refuse requests and MQTT clients without credentials, even on loopback (API keys: doppel auth keys create)." };
        var authAuthority = new Option<Uri?>("--auth-authority") { Description = "Accept JWT bearer tokens of this OpenID Connect issuer (https://; http:// only on loopback); requires credentials.", HelpName = "url", CustomParser = r => AbsoluteUrl(r, "--auth-authority", "https://login.microsoftonline.com/TENANT/v2.0") };
        var authAudience = new Option<string?>("--auth-audience") { Description = "The audience tokens must carry (default: any audience of the issuer)." };
        var authClientId = new Option<string?>("--auth-client-id") { Description = "The web console's client id at the --auth-authority provider (a public client, authorization code with PKCE, redirect URI: this server's root); without it the console signs in with API keys only.", HelpName = "id" };
        var authScope = new Option<string?>("--auth-scope") { Description = "Scopes the console asks the provider for besides openid, e.g. the API's scope that puts --auth-audience in its tokens.", HelpName = "scopes" };
        var authRoleClaim = new Option<string>("--auth-role-claim") { Description = "The token claim holding roles (owner, writer, reader, or ADT's role names).", DefaultValueFactory = _ => "roles" };
        var insecure = new Option<bool>("--insecure") { Description = "Allow anonymous access although listening beyond loopback (warned about at start)." };
        var requestsPerSecond = new Option<int>("--requests-per-second")
        {
            Description = "Requests per second each subject may make (queries aside); beyond it 429 with Retry-After. 0: no limit.",
            DefaultValueFactory = _ => new DoppelServerOptions().RequestsPerSecond,
        };
        var queriesPerSecond = new Option<int>("--queries-per-second")
        {
            Description = "Queries per second each subject may run (a budget of their own); 0: no limit.",
            DefaultValueFactory = _ => new DoppelServerOptions().QueriesPerSecond,
        };
        var noAudit = new Option<bool>("--no-audit") { Description = "Do not record change requests in the audit log (doppel audit)." };
        var auditRetention = new Option<TimeSpan?>("--audit-retention")
        {
            Description = "How long audit records are kept (e.g. 90d, P1Y); default 365d.",
            CustomParser = result =>
            {
                var parsed = Doppel.History.HistoryDuration.Parse(result.Tokens.Count == 1 ? result.Tokens[0].Value : null, "--audit-retention");
                if (!parsed.IsSuccess)
                {
                    result.AddError(parsed.Error.Message);
                }
                return parsed.Value;
            },
        };
        var command = new Command("serve", "Run the Doppel server (ADT-compatible REST API over HTTP and HTTPS, MQTT broker) on an embedded data folder.")
        {
            data, urls, lenient, synchronous, mqttPort, noMqtt, mqttBind, bridge, bridgeTopics, maxClockSkew,
            authRequired, authAuthority, authAudience, authClientId, authScope, authRoleClaim, insecure,
            requestsPerSecond, queriesPerSecond, noAudit, auditRetention,
        };
        var transport = new TransportOptions();
        transport.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var options = new DoppelServerOptions
            {
                DataDirectory = parse.GetValue(data)!,
                Urls = parse.GetValue(urls)!,
                LenientModels = parse.GetValue(lenient),
                Synchronous = parse.GetValue(synchronous),
                MqttPort = parse.GetValue(noMqtt) ? null : parse.GetValue(mqttPort),
                MqttBindAddress = parse.GetValue(mqttBind)!,
                MqttBridge = parse.GetValue(bridge),
                MqttBridgeTopics = parse.GetValue(bridgeTopics) ?? [],
                MaxClockSkew = parse.GetValue(maxClockSkew),
                RequireAuthentication = parse.GetValue(authRequired),
                AuthAuthority = parse.GetValue(authAuthority),
                AuthAudience = parse.GetValue(authAudience),
                AuthClientId = parse.GetValue(authClientId),
                AuthScope = parse.GetValue(authScope),
                AuthRoleClaim = parse.GetValue(authRoleClaim)!,
                Insecure = parse.GetValue(insecure),
                RequestsPerSecond = parse.GetValue(requestsPerSecond),
                QueriesPerSecond = parse.GetValue(queriesPerSecond),
                AuditLog = !parse.GetValue(noAudit),
            };
            transport.Apply(parse, options);
            if (parse.GetValue(auditRetention) is { } retention)
            {
                options.AuditRetention = retention;
            }
            var server = await ServerStartup.StartAsync(options, logging: null, mqttOptional: true, ct);
            await using (server)
            {
                Console.WriteLine($"Doppel is serving {Path.GetFullPath(options.DataDirectory)} ({server.Runtime.Models.Count} models, {server.Runtime.Graph.TwinCount} twins)");
                foreach (var address in server.Addresses)
                {
                    Console.WriteLine($"  listening on {address}");
                }
                if ((server.HttpAddress ?? server.HttpsAddress) is { } site)
                {
                    Console.WriteLine($"  web console at {site} (open it in a browser)");
                }
                if (server.MqttPort is { } port)
                {
                    Console.WriteLine($"  MQTT broker on mqtt://{options.MqttBindAddress}:{port} (publish to doppel/twins/{{twinId}}/telemetry)");
                }
                if (options.MqttBridge is { } bridged)
                {
                    Console.WriteLine($"  bridging from {bridged}");
                }
                foreach (var line in TransportOptions.Describe(server, options))
                {
                    Console.WriteLine(line);
                }
                Console.WriteLine(options.AnonymousAllowed
                    ? options.ListensOnLoopbackOnly
                        ? "  anonymous access is allowed: loopback only (--auth-required or --auth-authority to require credentials)"
                        : "  INSECURE: anonymous access is allowed beyond loopback (--insecure)"
                    : $"  credentials required: API keys (${DoppelClient.ApiKeyVariable}){(options.AuthAuthority is { } issuer ? $" and tokens of {issuer}" : "")}");
                Console.WriteLine("  Press Ctrl+C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    // System.CommandLine converts no Uri: without a parser of its own, a URL option failed when read, as an internal error.
    private static Uri? AbsoluteUrl(System.CommandLine.Parsing.ArgumentResult result, string option, string example)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            return url;
        }
        result.AddError($"{option}: '{text}' is not an absolute URL such as {example}.");
        return null;
    }
}
