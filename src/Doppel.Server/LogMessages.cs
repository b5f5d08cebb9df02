namespace Doppel.Server;

/// <summary>The server's log events, source-generated (no interpolation on the hot path).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    public static partial void UnhandledRequestError(this ILogger logger, Exception exception, string method, string? path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Delete job {JobId} failed")]
    public static partial void DeleteJobFailed(this ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Import job {JobId} failed")]
    public static partial void ImportJobFailed(this ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Simulation run {RunId} failed")]
    public static partial void SimulationRunFailed(this ILogger logger, Exception exception, string runId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Simulation run {RunId} could not be stored as {Status}")]
    public static partial void SimulationRunNotStored(this ILogger logger, Exception exception, string runId, string status);

    // Delivery failures are the receiver's problem, not the server's: Warning, so they never look like a server fault.
    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Delivery of event {EventId} to endpoint {Endpoint} failed (attempt {Attempt}); retrying in {Wait}: {Error}")]
    public static partial void EventDeliveryRetrying(this ILogger logger, string endpoint, string eventId, int attempt, TimeSpan wait, string error);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Event {EventId} dead-lettered for endpoint {Endpoint} after {Attempts} attempts ({Reason}): {Error}")]
    public static partial void EventDeadLettered(this ILogger logger, string endpoint, string eventId, int attempts, string reason, string error);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "The filter of event route {RouteId} failed on event {EventId}")]
    public static partial void RouteFilterFailed(this ILogger logger, Exception exception, string routeId, string eventId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Could not write a dead letter for endpoint {Endpoint}")]
    public static partial void DeadLetterWriteFailed(this ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Event route {RouteId} has a stored filter that no longer parses and matches nothing: {Error}")]
    public static partial void StoredRouteFilterInvalid(this ILogger logger, string routeId, string error);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "A pack was left out: {Problem}")]
    public static partial void PackLeftOut(this ILogger logger, string problem);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "MQTT broker started on {Address}, port {Port}")]
    public static partial void MqttBrokerStarted(this ILogger logger, string address, int port);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "MQTTS broker started on {Address}, port {Port} (client certificates: {ClientCertificates})")]
    public static partial void MqttsBrokerStarted(this ILogger logger, string address, int port, string clientCertificates);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "MQTT bridge connected to {Broker}, subscribed to {Filters}")]
    public static partial void MqttBridgeConnected(this ILogger logger, Uri broker, string filters);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "MQTT bridge to {Broker} lost its connection; reconnecting")]
    public static partial void MqttBridgeDisconnected(this ILogger logger, Exception? exception, Uri broker);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Ingesting an MQTT message on {Topic} failed")]
    public static partial void MqttIngestFailed(this ILogger logger, Exception exception, string topic);
    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    public static partial void HubMethodFailed(this ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "Applying the history policy failed; it is tried again at the next interval")]
    public static partial void HistoryPolicyFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Anonymous access is allowed: Doppel listens on loopback only. Require credentials with --auth-required or --auth-authority URL")]
    public static partial void AnonymousOnLoopback(this ILogger logger);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "INSECURE: anonymous access is allowed beyond loopback (--insecure): anyone who reaches this server may read and change everything")]
    public static partial void AnonymousInsecure(this ILogger logger);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "No API key existed: created the owner key 'admin'; its secret is in {Path} (readable by you only); use it (DOPPEL_API_KEY) to create other keys, then delete the file")]
    public static partial void FirstOwnerKey(this ILogger logger, string path);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Credentials are required: API keys")]
    public static partial void CredentialsRequired(this ILogger logger);

    [LoggerMessage(EventId = 44, Level = LogLevel.Information, Message = "Credentials are required: API keys, and bearer tokens of the OpenID Connect issuer {Authority}")]
    public static partial void TokensAccepted(this ILogger logger, Uri authority);

    [LoggerMessage(EventId = 45, Level = LogLevel.Error, Message = "Deleting audit records older than the retention failed; it is tried again in an hour")]
    public static partial void AuditPruneFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "Storing alert changes failed; they are tried again")]
    public static partial void AlertWriteFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 51, Level = LogLevel.Error, Message = "The stored rule {RuleId} no longer loads and is left out: {Error}")]
    public static partial void RuleLeftOut(this ILogger logger, string ruleId, string error);

    [LoggerMessage(EventId = 52, Level = LogLevel.Error, Message = "Evaluating the rules of twin {TwinId} failed; the change itself is stored")]
    public static partial void RuleEvaluationFailed(this ILogger logger, Exception exception, string twinId);

    [LoggerMessage(EventId = 53, Level = LogLevel.Error, Message = "The telemetry watcher {Watcher} failed; the reading itself is stored")]
    public static partial void WatcherFailed(this ILogger logger, Exception exception, string watcher);

    [LoggerMessage(EventId = 70, Level = LogLevel.Error, Message = "The stored anomaly detector {DetectorId} no longer loads and is left out: {Error}")]
    public static partial void DetectorLeftOut(this ILogger logger, string detectorId, string error);

    [LoggerMessage(EventId = 71, Level = LogLevel.Error, Message = "Scoring the readings of twin {TwinId} with the anomaly detectors failed; the readings themselves are stored")]
    public static partial void DetectorFailed(this ILogger logger, Exception exception, string twinId);

    [LoggerMessage(EventId = 160, Level = LogLevel.Error, Message = "The follower {Follower} failed on telemetry of twin {TwinId}; the reading itself is stored")]
    public static partial void FollowerTelemetryFailed(this ILogger logger, Exception exception, string follower, string twinId);

    [LoggerMessage(EventId = 161, Level = LogLevel.Error, Message = "The follower {Follower} stopped with a fault; the twins it follows are no longer followed until the server restarts")]
    public static partial void FollowerFailed(this ILogger logger, Exception exception, string follower);

    [LoggerMessage(EventId = 162, Level = LogLevel.Information, Message = "The follower {Follower} follows twins of {Models}")]
    public static partial void FollowerStarted(this ILogger logger, string follower, string models);
}
