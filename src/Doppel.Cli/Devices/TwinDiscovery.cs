using System.Text.Json.Nodes;

namespace Doppel.Cli.Devices;

/// <summary>Finds the twins to simulate with a query on a server, and the numeric telemetry their models declare (inherited included).</summary>
internal static class TwinDiscovery
{
    private static readonly HashSet<string> Floating = ["double", "float"];
    private static readonly HashSet<string> Integral = ["integer", "long"];

    /// <summary>Runs <paramref name="query"/> (every page) and reads each distinct model once.</summary>
    public static async Task<Result<List<SimulatedTwin>>> FromQueryAsync(DoppelClient client, string query, CancellationToken ct)
    {
        var twins = new List<(string Id, string Model)>();
        string? token = null;
        do
        {
            var request = new JsonObject { ["query"] = query, ["continuationToken"] = token };
            var (status, body) = await client.SendAsync(HttpMethod.Post, "query", request.ToJsonString(), ct: ct);
            if (status != 200)
            {
                return DoppelClient.Error(status, body);
            }
            foreach (var row in body!["value"]!.AsArray())
            {
                // SELECT * gives twins; SELECT T gives {"T": twin}.
                var twin = row?["$dtId"] is not null ? row : (row as JsonObject)?.Select(p => p.Value).FirstOrDefault(v => v?["$dtId"] is not null);
                if (twin?["$dtId"] is JsonValue id && twin["$metadata"]?["$model"] is JsonValue model)
                {
                    twins.Add(((string)id!, (string)model!));
                }
            }
            token = (string?)body["continuationToken"];
        }
        while (token is not null);

        var telemetryByModel = new Dictionary<string, List<SimulatedTelemetry>>(StringComparer.Ordinal);
        var result = new List<SimulatedTwin>();
        foreach (var (id, model) in twins)
        {
            if (!telemetryByModel.TryGetValue(model, out var telemetry))
            {
                telemetry = [];
                var read = await CollectAsync(client, model, telemetry, new HashSet<string>(StringComparer.Ordinal), ct);
                if (read is { } error)
                {
                    return error;
                }
                telemetryByModel[model] = telemetry;
            }
            if (telemetry.Count > 0)
            {
                result.Add(new SimulatedTwin(id, telemetry));
            }
        }
        return Result<List<SimulatedTwin>>.Ok(result);
    }

    /// <summary>The numeric telemetry a model's contents declare (not its components'), by DTDL schema.</summary>
    public static IEnumerable<SimulatedTelemetry> NumericTelemetry(JsonNode? contents)
    {
        foreach (var content in contents as JsonArray ?? [])
        {
            var type = content?["@type"];
            var isTelemetry = type is JsonArray types ? types.Any(t => (string?)t == "Telemetry") : type is JsonValue && (string?)type == "Telemetry";
            if (isTelemetry && content!["name"] is JsonValue name && content["schema"] is JsonValue schemaValue && (string?)schemaValue is { } schema
                && (Floating.Contains(schema) || Integral.Contains(schema)))
            {
                yield return new SimulatedTelemetry((string)name!, Integral.Contains(schema));
            }
        }
    }

    private static async Task<DoppelError?> CollectAsync(DoppelClient client, string modelId, List<SimulatedTelemetry> into, HashSet<string> seen, CancellationToken ct)
    {
        if (!seen.Add(modelId))
        {
            return null;
        }
        var (status, body) = await client.SendAsync(HttpMethod.Get, $"models/{Uri.EscapeDataString(modelId)}?includeModelDefinition=true", ct: ct);
        if (status != 200)
        {
            return DoppelClient.Error(status, body);
        }
        return await CollectInterfaceAsync(client, body!["model"], into, seen, ct);
    }

    private static async Task<DoppelError?> CollectInterfaceAsync(DoppelClient client, JsonNode? model, List<SimulatedTelemetry> into, HashSet<string> seen, CancellationToken ct)
    {
        foreach (var telemetry in NumericTelemetry(model?["contents"]))
        {
            if (!into.Exists(t => t.Name == telemetry.Name))
            {
                into.Add(telemetry);
            }
        }
        var extends = model?["extends"] switch
        {
            JsonArray array => array.ToList(),
            JsonNode single => [single],
            null => [],
        };
        foreach (var parent in extends)
        {
            // A parent is a model id, or an interface written inline.
            var error = parent is JsonValue id
                ? await CollectAsync(client, (string)id!, into, seen, ct)
                : await CollectInterfaceAsync(client, parent, into, seen, ct);
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }
}
