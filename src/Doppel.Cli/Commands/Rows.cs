using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Cli.Commands;

/// <summary>Printing lists of JSON items as a table or as JSON, and building query strings, for the commands that read lists.</summary>
internal static class Rows
{
    public static int Print(IReadOnlyList<JsonNode?> rows, IReadOnlyList<string> columns, bool json)
    {
        if (json)
        {
            Console.WriteLine(new JsonArray([.. rows.Select(r => r?.DeepClone())]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }
        Table.Print(columns, rows.Select(r => columns.Select(c => r?[c] switch
        {
            null => "",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => (string)v!,
            var node => node.ToJsonString(),
        }).ToArray()));
        return ExitCodes.Ok;
    }

    public static string? Join(string[]? values) => values is { Length: > 0 } ? string.Join(',', values) : null;

    public static string Query(params (string Key, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }
}
