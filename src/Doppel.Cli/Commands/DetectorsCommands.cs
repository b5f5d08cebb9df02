using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Analytics.Anomaly;
using Doppel.Cli.Input;
using Doppel.Cli.Invocation;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel detectors: live anomaly detectors (/doppel/detectors) that score a telemetry property of the twins in a scope and raise alerts.</summary>
internal static class DetectorsCommands
{
    public static Command Create() => new("detectors", "Manage live anomaly detectors: a detector, a scope (model or query), a numeric telemetry property, an alert threshold and severity.")
    {
        Put(),
        List(),
        Show(),
        Delete(),
    };

    private static Command Put()
    {
        var id = new Argument<string>("id") { Description = "The detector's id." };
        var definition = new Option<string?>("--definition") { Description = "The whole definition as JSON: inline, @file.json, or - for standard input (the other options then add to it)." }.Reads(InputKind.JsonObject);
        var detector = new Option<string?>("--detector") { Description = $"Which detector runs: {string.Join(", ", AnomalyDetectors.Names)} (default {AnomalyDetectors.Default})." };
        var model = new Option<string?>("--model") { Description = "Scope: the twins of this model (DTMI) and of the models extending it." };
        var query = new Option<string?>("--query") { Description = "Scope: the twins this query selects (SELECT * FROM DIGITALTWINS T WHERE ...)." };
        var property = new Option<string?>("--property") { Description = "The numeric telemetry property to score; the score is written as {property}AnomalyScore." };
        var threshold = new Option<double?>("--threshold") { Description = "Raise an alert when the score reaches this, in (0, 1] (default 0.9)." };
        var severity = new Option<string?>("--severity") { Description = "The alert's severity (default warning)." };
        var disabled = new Option<bool>("--disabled") { Description = "Store it without running it." };
        var server = ClientOptions.Server();
        var command = new Command("put", "Create or replace a detector.") { id, definition, detector, model, query, property, threshold, severity, disabled, server };
        command.SetAction(async (parse, ct) =>
        {
            var body = parse.GetValue(definition) is { } text ? DocumentText.ReadJson(text, "--definition", JsonValueKind.Object).AsObject() : [];
            if (parse.GetValue(model) is { } m && parse.GetValue(query) is not null)
            {
                throw CommandFailure.Usage("--model and --query are two kinds of scope: give one.");
            }
            if (parse.GetValue(model) is { } scopeModel)
            {
                body["scope"] = new JsonObject { ["model"] = scopeModel };
            }
            if (parse.GetValue(query) is { } scopeQuery)
            {
                body["scope"] = new JsonObject { ["query"] = scopeQuery };
            }
            if (parse.GetValue(detector) is { } name)
            {
                body["detector"] = name;
            }
            if (parse.GetValue(property) is { } p)
            {
                body["property"] = p;
            }
            if (parse.GetValue(threshold) is { } t)
            {
                body["threshold"] = t;
            }
            if (parse.GetValue(severity) is { } s)
            {
                body["severity"] = s;
            }
            if (parse.GetValue(disabled))
            {
                body["enabled"] = false;
            }
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, result) = await client.SendAsync(HttpMethod.Put, Path(parse.GetValue(id)!), body.ToJsonString(), ct: ct);
            if (status is not (200 or 201))
            {
                return DoppelClient.Fail(DoppelClient.Error(status, result));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Detector '{result!["id"]}' {(status == 201 ? "created" : "replaced")}: {result["detector"]} on {result["property"]} -> {result["scoreProperty"]}, alert at {result["threshold"]} ({result["severity"]})."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List the detectors.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var detectors = await client.ListAllAsync("doppel/detectors", ct);
            if (!detectors.IsSuccess)
            {
                return DoppelClient.Fail(detectors.Error);
            }
            var rows = detectors.Value.Select(d => (JsonNode?)new JsonObject
            {
                ["id"] = d!["id"]?.DeepClone(),
                ["detector"] = d["detector"]?.DeepClone(),
                ["scope"] = d["scope"]?["model"]?.DeepClone() ?? d["scope"]?["query"]?.DeepClone(),
                ["property"] = d["property"]?.DeepClone(),
                ["threshold"] = d["threshold"]?.DeepClone(),
                ["severity"] = d["severity"]?.DeepClone(),
                ["enabled"] = d["enabled"]?.DeepClone(),
            }).ToList();
            return Rows.Print(rows, ["id", "detector", "scope", "property", "threshold", "severity", "enabled"], output.Read(parse), "detector");
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "The detector's id." };
        var server = ClientOptions.Server();
        var command = new Command("show", "Print one detector as JSON.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Get, Path(parse.GetValue(id)!), ct: ct);
            return status == 200 ? Rows.PrintJson(body) : DoppelClient.Fail(DoppelClient.Error(status, body));
        });
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id") { Description = "The detector's id." };
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete a detector (its open alerts are resolved).") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Delete, Path(parse.GetValue(id)!), ct: ct);
            if (status != 204)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Deleted detector '{parse.GetValue(id)}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Path(string id) => "doppel/detectors/" + Uri.EscapeDataString(id);
}
