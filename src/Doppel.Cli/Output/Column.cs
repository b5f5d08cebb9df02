using System.Text.Json.Nodes;

namespace Doppel.Cli.Output;

/// <summary>A table column over JSON items: its header, where its value is in an item, and whether that value is a time.</summary>
internal sealed record Column(string Header, IReadOnlyList<string> Path, bool IsTime = false)
{
    /// <summary>A column of a top-level member, named after it.</summary>
    public static implicit operator Column(string name) => new(name, [name]);

    /// <summary>A column of times (RFC 3339 strings), printed in UTC with milliseconds.</summary>
    public static Column Time(string name, params string[] path) => new(name, path.Length == 0 ? [name] : path, IsTime: true);

    /// <summary>A column of a nested member, e.g. <c>At("delivered", "stats", "delivered")</c>.</summary>
    public static Column At(string header, params string[] path) => new(header, path);

    public string Cell(JsonNode? item)
    {
        var node = item;
        foreach (var name in Path)
        {
            node = node is JsonObject o ? o[name] : null;
        }
        return IsTime ? CellText.Time(node) : CellText.Of(node);
    }
}
