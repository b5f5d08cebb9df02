using System.Text.Json.Nodes;

namespace Doppel.Query;

/// <summary>One page of query results, the token for the next page (null on the last page) and the query charge in query units.</summary>
public sealed record QueryPage(IReadOnlyList<JsonNode> Rows, string? ContinuationToken, double Charge);
