namespace Doppel.Server.Streams;

/// <summary>What a live-stream subscriber asks for; every member is optional and all given ones must hold.</summary>
/// <param name="TwinIds">Only events of these twins (the source twin of relationship events).</param>
/// <param name="Model">Only twins of this model or a model that extends it.</param>
/// <param name="Types">CloudEvents types, or the aliases twin, relationship, telemetry, lifecycle, alert.</param>
/// <param name="Where">An ADT WHERE condition on the twin's current document, e.g. <c>T.temperature &gt; 50</c>.</param>
/// <param name="Capacity">Events buffered for this subscriber before drops; at most the server's limit.</param>
public sealed record StreamFilterRequest(IReadOnlyList<string>? TwinIds = null, string? Model = null, IReadOnlyList<string>? Types = null, string? Where = null, int? Capacity = null);
