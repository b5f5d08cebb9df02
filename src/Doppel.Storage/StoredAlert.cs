namespace Doppel.Storage;

/// <summary>An alert as <see cref="SqliteAlertStore"/> keeps it: the columns it is searched by, and its whole JSON (transitions included).</summary>
public sealed record StoredAlert(string Id, string RuleId, string TwinId, string Severity, string State, DateTimeOffset RaisedTime, string Json);

/// <summary>Which alerts to list: every criterion is optional; <see cref="States"/> empty means any state.</summary>
public sealed record AlertSearch(IReadOnlyList<string> States, string? RuleId, string? TwinId, string? Severity, DateTimeOffset? From, DateTimeOffset? To);
