using System.Text.Json.Nodes;

namespace Doppel.Packs;

/// <summary>Text and tables for people, in order: a host prints them its own way (the CLI as lines and tables).</summary>
public sealed record Report(IReadOnlyList<ReportBlock> Blocks)
{
    /// <summary>
    /// The report as a server returns it: <c>[{"text": "..."}, {"headers": [...], "rows": [[...], ...]}]</c>, in order.
    /// </summary>
    public JsonArray ToJson() => new([.. Blocks.Select(block => (JsonNode?)(block switch
    {
        ReportText text => new JsonObject { ["text"] = text.Text },
        ReportTable table => new JsonObject
        {
            ["headers"] = new JsonArray([.. table.Headers.Select(h => (JsonNode?)h)]),
            ["rows"] = new JsonArray([.. table.Rows.Select(r => (JsonNode?)new JsonArray([.. r.Select(c => (JsonNode?)c)]))]),
        },
        _ => throw new InvalidOperationException($"A report block of type {block.GetType().Name} has no JSON form."),
    }))]);
}
