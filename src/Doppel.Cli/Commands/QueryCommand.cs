using System.CommandLine;
using System.Text.Json.Nodes;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

internal static class QueryCommand
{
    public static Command Create()
    {
        var text = new Argument<string>("query") { Description = "An ADT query, e.g. \"SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:example:Room;1')\"." };
        var server = ClientOptions.Server();
        var command = new Command("query", "Run a query on a server and print every page as a table (or JSON).") { text, server };
        var output = OutputOptions.For(command);
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

            // Columns: the union of the rows' top-level keys, in first-seen order; nested values print as JSON.
            var columns = rows.OfType<JsonObject>().SelectMany(r => r.Select(p => p.Key)).Where(k => k != "$metadata").Distinct().Select(k => (Column)k).ToList();
            return Rows.Print(rows, columns, output.Read(parse));
        });
        return command;
    }
}
