using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Cli.Commands;

internal static class QueryCommand
{
    public static Command Create()
    {
        var text = new Argument<string>("query") { Description = "An ADT query, e.g. \"SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:example:Room;1')\"." };
        var server = ClientOptions.Server();
        var json = ClientOptions.Json();
        var command = new Command("query", "Run a query on a server and print every page as a table (or JSON).") { text, server, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var rows = new List<JsonNode?>();
            string? token = null;
            do
            {
                var request = new JsonObject { ["query"] = parse.GetValue(text), ["continuationToken"] = token };
                var (status, body) = await client.SendAsync(HttpMethod.Post, "query", request.ToJsonString(), ct: ct);
                if (status != 200)
                {
                    return DoppelClient.Fail(DoppelClient.Error(status, body));
                }
                rows.AddRange(body!["value"]!.AsArray().Select(r => r?.DeepClone()));
                token = (string?)body["continuationToken"];
            }
            while (token is not null);

            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonArray(rows.ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            // Columns: the union of the rows' top-level keys, in first-seen order; nested values print as JSON.
            var columns = rows.OfType<JsonObject>().SelectMany(r => r.Select(p => p.Key)).Where(k => k != "$metadata").Distinct().ToList();
            Table.Print(columns, rows.Select(r => columns.Select(c => Cell(r?[c])).ToArray()));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Cell(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (string)v!,
        _ => value.ToJsonString(),
    };
}
