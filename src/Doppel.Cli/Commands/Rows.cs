using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>Printing lists of JSON items as a table or as JSON, and building query strings, for the commands that read lists.</summary>
internal static class Rows
{
    /// <summary>Indented, and readable in a terminal: quotes and non-ASCII letters as themselves, not \u escapes.</summary>
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Print(IReadOnlyList<JsonNode?> rows, IReadOnlyList<Column> columns, OutputFormat format, string noun = "row")
    {
        if (format.Json)
        {
            Console.WriteLine(new JsonArray([.. rows.Select(r => r?.DeepClone())]).ToJsonString(Indented));
            return ExitCodes.Ok;
        }
        Table.Print([.. columns.Select(c => c.Header)], rows.Select(r => columns.Select(c => c.Cell(r)).ToArray()), format.Wide, noun);
        return ExitCodes.Ok;
    }

    /// <summary>Prints one JSON document, indented.</summary>
    public static int PrintJson(JsonNode? document)
    {
        Console.WriteLine(document?.ToJsonString(Indented) ?? "null");
        return ExitCodes.Ok;
    }

    public static string? Join(string[]? values) => values is { Length: > 0 } ? string.Join(',', values) : null;

    public static string Query(params (string Key, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }
}
