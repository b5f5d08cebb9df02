using System.Net;
using System.Net.Sockets;
using Doppel.Modeling;
using Doppel.Packs;
using Doppel.Query;
using Doppel.Server.Analytics;
using Doppel.Server.Api;
using Doppel.Server.Audit;
using Doppel.Server.Hosting;
using Doppel.Server.Hosting.Internal;
using Doppel.Server.Ingest;
using Doppel.Server.Mqtt;
using Doppel.Server.Observability;
using Doppel.Server.Routing;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Doppel.Server.Streams;
using Doppel.Server.Streams.Internal;
using Doppel.Storage;
using Doppel.Twins;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Doppel.Server;

/// <summary>One Doppel instance: the Orleans silo holding twin grains and the ADT-compatible REST API, on one data folder.</summary>
public sealed class DoppelServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DoppelServer(WebApplication app, TwinRuntime runtime)
    {
        _app = app;
        Runtime = runtime;
    }

    public TwinRuntime Runtime { get; }

    /// <summary>The packs the server runs with.</summary>
    public PackCatalog Packs => _app.Services.GetRequiredService<PackCatalog>();

    /// <summary>The addresses actually bound (port 0 resolved).</summary>
    public IReadOnlyList<Uri> Addresses => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();

    public Uri? HttpAddress => Addresses.FirstOrDefault(a => a.Scheme == "http");

    public Uri? HttpsAddress => Addresses.FirstOrDefault(a => a.Scheme == "https");

    /// <summary>The embedded MQTT broker's port, or null when it is off.</summary>
    public int? MqttPort => _app.Services.GetRequiredService<EmbeddedBroker>().Port;

    /// <summary>The bridge to an external broker (connected once <see cref="MqttBridge.Connected"/> completes).</summary>
    public MqttBridge Bridge => _app.Services.GetRequiredService<MqttBridge>();

    /// <summary>The server's services, for in-process hosts and tests.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The PEM file of the development certificate, for clients that must trust it.</summary>
    public string CertificatePemPath => Path.Combine(Path.GetFullPath(_app.Services.GetRequiredService<IOptions<DoppelServerOptions>>().Value.DataDirectory), "certs", DevelopmentCertificate.PemFileName);

    /// <summary>The certificate HTTPS and MQTTS present, or null when the server listens on neither.</summary>
    public ServerCertificate? Certificate => _app.Services.GetService<ServerCertificate>();

    /// <summary>The embedded MQTT broker's TLS port, or null when it has none.</summary>
    public int? MqttsPort => _app.Services.GetRequiredService<EmbeddedBroker>().TlsPort;

    /// <param name="options">Where and how to run.</param>
    /// <param name="logging">Replaces the console logger (tests collect errors here).</param>
    /// <param name="time">The clock: timestamps, and the waits between delivery retries.</param>
    /// <param name="services">Adds or replaces services, e.g. an <see cref="IMqttEventPublisher"/>.</param>
    /// <param name="ct">Cancels start-up.</param>
    public static async Task<DoppelServer> StartAsync(DoppelServerOptions options, Action<ILoggingBuilder>? logging = null, TimeProvider? time = null, Action<IServiceCollection>? services = null, CancellationToken ct = default)
    {
        time ??= TimeProvider.System;
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }
        Directory.CreateDirectory(options.DataDirectory);
        // Loaded before anything opens, so a certificate the user must fix stops start-up with one message.
        ServerCertificate? certificate = null;
        if (options.UsesTls)
        {
            var loaded = ServerCertificate.Load(options, time);
            certificate = loaded.IsSuccess ? loaded.Value : throw new ArgumentException(loaded.Error.Message, nameof(options));
        }
        var runtime = await TwinRuntime.OpenAsync(
            new StorageOptions { DataDirectory = options.DataDirectory, Synchronous = options.Synchronous },
            new ModelParserOptions { AllowUndefinedReferences = options.LenientModels, AllowUnknownExtensions = options.AllowUnknownExtensions },
            new TwinLimits(),
            time,
            ct);
        try
        {
            var app = Build(options, runtime, certificate, logging, time, services);
            var console = app.Services.GetService<StartupLogGate>();
            var watcherLog = app.Services.GetRequiredService<ILogger<DoppelServer>>();
            runtime.WatcherFailed = (watcher, e) => watcherLog.WatcherFailed(e, watcher.Name);
            try
            {
                await app.Services.GetRequiredService<SimulationRuns>().RestoreAsync(ct);
                await app.StartAsync(ct);
            }
            catch
            {
                console?.Drop();
                await app.DisposeAsync();
                throw;
            }
            var catalog = app.Services.GetRequiredService<PackCatalog>();
            foreach (var problem in catalog.Problems)
            {
                app.Services.GetRequiredService<ILogger<DoppelServer>>().PackLeftOut(problem);
            }
            Announce(app.Services, options);
            console?.Release();
            var server = new DoppelServer(app, runtime);
            runtime.EventSource = (server.HttpAddress ?? server.HttpsAddress)?.Authority ?? "doppel";
            return server;
        }
        catch
        {
            await runtime.DisposeAsync();
            throw;
        }
    }

    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Runtime.DisposeAsync();
    }

    private static WebApplication Build(DoppelServerOptions options, TwinRuntime runtime, ServerCertificate? certificate, Action<ILoggingBuilder>? logging, TimeProvider time, Action<IServiceCollection>? services)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            // The console sees start-up only once it has succeeded (StartupLogGate).
            var consoleProvider = builder.Services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
            builder.Services.Remove(consoleProvider);
            builder.Services.AddSingleton<ConsoleLoggerProvider>();
            builder.Services.AddSingleton(services => new StartupLogGate(services.GetRequiredService<ConsoleLoggerProvider>()));
            builder.Services.AddSingleton<ILoggerProvider>(services => services.GetRequiredService<StartupLogGate>());
        }
        else
        {
            logging(builder.Logging);
        }

        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.WebHost.UseUrls(urls);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxModelRequestBytes;
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    https.ServerCertificate = certificate.Certificate;
                    https.ServerCertificateChain = certificate.Chain;
                });
            }
        });

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreeTcpPort(), gatewayPort: FreeTcpPort(), serviceId: "doppel", clusterId: "doppel-" + Guid.NewGuid().ToString("N"));
        });

        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(runtime);
        if (certificate is not null)
        {
            builder.Services.AddSingleton(certificate);
        }
        // The injected clock is Doppel's domain time (runtime.Time: timestamps, retry waits). It is deliberately not the
        // container's TimeProvider: Orleans and ASP.NET keep the system clock, so a test's fake clock cannot stall the silo.
        builder.Services.AddSingleton<ModelService>();
        builder.Services.AddSingleton<BulkJobSlot>();
        builder.Services.AddSingleton<DeletionJobs>();
        builder.Services.AddSingleton<ImportJobs>();
        builder.Services.AddSingleton<SimulationRuns>();
        builder.Services.AddSingleton(options.Packs is { } packs ? PackCatalog.Create(packs) : PackCatalog.Discovered);
        builder.Services.AddSingleton<PackLoader>();
        builder.Services.AddSingleton(new QueryEngine(new QueryLimits()));
        builder.Services.AddOpenApi();
        builder.Logging.AddFilter(HubErrors.DispatcherCategory, LogLevel.Critical);
        builder.Services.AddSignalR(hub => hub.AddFilter<HubErrors>());
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<DoppelMetrics>();
        builder.Services.AddSingleton<MetricTotals>();
        builder.Services.AddSingleton<RuleMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RuleMonitor>());
        builder.Services.AddSingleton<IngestPipeline>();
        builder.Services.AddSingleton<HistoryMaintenance>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HistoryMaintenance>());
        builder.Services.AddSingleton(_ => SqliteSecurityStore.Open(options.DataDirectory));
        builder.Services.AddSingleton(services => new ApiKeys(services.GetRequiredService<SqliteSecurityStore>(), runtime.Time));
        builder.Services.AddSingleton<Policies>();
        builder.Services.AddDoppelAuthentication(options);
        builder.Services.AddSingleton<MqttAccess>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditLog>());
        RateLimits.Add(builder.Services, options, time);
        builder.Services.AddSingleton<EmbeddedBroker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmbeddedBroker>());
        builder.Services.AddSingleton<MqttBridge>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MqttBridge>());
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(DoppelMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        builder.Services.AddHttpClient(EventDispatcher.HttpClientName, client => client.Timeout = options.WebhookTimeout);
        builder.Services.AddSingleton<EventDispatcher>();
        builder.Services.AddHostedService(s => s.GetRequiredService<EventDispatcher>());
        builder.Services.AddSingleton<Analytics.DetectorService>();
        builder.Services.AddHostedService(s => s.GetRequiredService<Analytics.DetectorService>());
        if (options.MqttPort is not null || options.MqttsPort is not null || options.MqttBridge is not null)
        {
            builder.Services.AddSingleton<IMqttEventPublisher, MqttEventPublisher>();
        }
        builder.Services.AddSingleton<PredictorRegistry>();
        builder.Services.AddSingleton<PredictorTrainings>();
        builder.Services.AddHostedService(s => s.GetRequiredService<PredictorTrainings>());
        builder.Services.AddSingleton<PredictorWatcher>();
        builder.Services.AddHostedService(s => s.GetRequiredService<PredictorWatcher>());
        builder.Services.AddSingleton<PackFollowers>();
        builder.Services.AddHostedService(s => s.GetRequiredService<PackFollowers>());
        services?.Invoke(builder.Services);

        var app = builder.Build();
        // Totals count from the first measurement, so the listener exists before any request.
        app.Services.GetRequiredService<MetricTotals>();
        app.Use(UnhandledErrors);
        app.Use(ApiVersions.Enforce);
        // The limiter partitions by subject, so it runs once the request is authenticated.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.Use(AccessGate.Enforce);
        SecurityEndpoints.Map(app);
        RootEndpoint.Map(app);
        ConsoleEndpoints.Map(app);
        ModelEndpoints.Map(app);
        DigitalTwinEndpoints.Map(app);
        QueryEndpoints.Map(app);
        EventRouteEndpoints.Map(app);
        EventEndpointEndpoints.Map(app);
        HistoryEndpoints.Map(app);
        IngestEndpoints.Map(app);
        MappingEndpoints.Map(app);
        ScenarioEndpoints.Map(app);
        PackEndpoints.Map(app);
        RunEndpoints.Map(app);
        JobEndpoints.Map(app);
        ImportJobEndpoints.Map(app);
        EventStreamEndpoints.Map(app);
        AuditEndpoints.Map(app);
        GraphEndpoints.Map(app);
        StatusEndpoints.Map(app);
        RuleEndpoints.Map(app);
        AlertEndpoints.Map(app);
        PredictorEndpoints.Map(app);
        DetectorEndpoints.Map(app);
        app.MapHub<EventHub>("/doppel/hubs/events");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).ExcludeFromDescription();
        app.MapFallback((HttpContext context) => AdtErrors.ToResult("NotFound", $"No operation at {context.Request.Method} {context.Request.Path}."));
        return app;
    }

    /// <summary>Anything unexpected becomes ADT's error shape with a 500, is logged, and the server stays up.</summary>
    private static async Task UnhandledErrors(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await AdtErrors.WriteAsync(context, new DoppelError(e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "LimitExceeded" : "InvalidArgument", e.Message));
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            context.RequestServices.GetRequiredService<ILogger<DoppelServer>>().UnhandledRequestError(e, context.Request.Method, context.Request.Path.Value);
            await AdtErrors.WriteAsync(context, new DoppelError("InternalServerError", "The server failed to process the request; see its log."));
        }
    }

    /// <summary>Says at start how requests are authenticated; creates the first owner key when credentials are required and none exists.</summary>
    private static void Announce(IServiceProvider services, DoppelServerOptions options)
    {
        var log = services.GetRequiredService<ILogger<DoppelServer>>();
        if (options.AnonymousAllowed)
        {
            if (options.ListensOnLoopbackOnly)
            {
                log.AnonymousOnLoopback();
            }
            else
            {
                log.AnonymousInsecure();
            }
            return;
        }
        var keys = services.GetRequiredService<ApiKeys>();
        if (options.AuthAuthority is null && !keys.Any)
        {
            var created = keys.Create("admin", Doppel.Security.Role.Owner, "created at the first start that required credentials", null);
            if (created.IsSuccess)
            {
                var path = Path.Combine(Path.GetFullPath(options.DataDirectory), "admin.key");
                File.WriteAllText(path, created.Value.Secret + Environment.NewLine);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                log.FirstOwnerKey(path);
            }
        }
        if (options.AuthAuthority is { } authority)
        {
            log.TokensAccepted(authority);
        }
        else
        {
            log.CredentialsRequired();
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
