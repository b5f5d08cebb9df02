using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Packs;

namespace Doppel.IntegrationTests.Greenhouse;

/// <summary>
/// <c>doppel greenhouse-settings ID FILE</c>: changes a greenhouse's thermostat and heater from a settings document
/// (<c>setpoint: 21</c>, JSON or YAML, a file or standard input), as a verb that reads a document does.
/// </summary>
public static class GreenhouseSettings
{
    private static readonly string[] Writable = ["setpoint", "heaterPower", "timeConstant"];

    public static PackVerb Verb { get; } = new("greenhouse-settings", "Change a greenhouse's setpoint (°C), heater power (°C an hour) or time constant (hours) from a settings document.", RunAsync)
    {
        Arguments =
        [
            new VerbArgument("greenhouse", "The greenhouse twin's id."),
            new VerbArgument("settings", "The settings to change, e.g. 'setpoint: 21'.") { Value = VerbValue.Document },
        ],
        UsesServer = true,
    };

    private static async Task<VerbResult> RunAsync(VerbContext context, CancellationToken ct)
    {
        var id = context.Argument("greenhouse")!;
        var (status, twin) = await context.SendAsync(HttpMethod.Get, $"/digitaltwins/{Uri.EscapeDataString(id)}", null, ct);
        if (status != 200)
        {
            return VerbResult.Failed($"greenhouse '{id}': {twin?["error"]?["message"] ?? status.ToString(CultureInfo.InvariantCulture)}");
        }
        if (twin?["$metadata"]?["$model"]?.ToString() != GreenhousePack.Model)
        {
            return VerbResult.Failed($"twin '{id}' is not a greenhouse.");
        }
        var document = context.Document("settings")!;
        var settings = DocumentReader.Read(document.Text, root =>
        {
            root.Allow(Writable);
            return root.Keys.Select(key => (Name: key, Value: root.Required(key, "a number").ExpectScalar("a number").Number())).ToList();
        });
        if (!settings.IsSuccess)
        {
            return VerbResult.Usage($"{document.Source}: {settings.Error.Message}");
        }
        var patch = new JsonArray([.. settings.Value.Select(s => (JsonNode)new JsonObject { ["op"] = "replace", ["path"] = "/" + s.Name, ["value"] = s.Value })]);
        (status, var body) = await context.SendAsync(HttpMethod.Patch, $"/digitaltwins/{Uri.EscapeDataString(id)}", patch.ToJsonString(), ct);
        if (status != 204)
        {
            return VerbResult.Failed($"greenhouse '{id}': {body?["error"]?["message"] ?? status.ToString(CultureInfo.InvariantCulture)}");
        }
        await context.Out.WriteLineAsync($"{id}: {string.Join(", ", settings.Value.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Value:0.###}")))}");
        return VerbResult.Ok;
    }
}
