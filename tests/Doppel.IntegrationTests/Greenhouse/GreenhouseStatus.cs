using System.Globalization;
using Doppel.Packs;

namespace Doppel.IntegrationTests.Greenhouse;

/// <summary><c>doppel greenhouse-status ID [--fahrenheit] [--band 1]</c>: a greenhouse's temperature against its setpoint, read from the server.</summary>
public static class GreenhouseStatus
{
    public static PackVerb Verb { get; } = new("greenhouse-status", "Print a greenhouse's temperature, its setpoint and its heater.", RunAsync)
    {
        Arguments = [new VerbArgument("greenhouse", "The greenhouse twin's id.")],
        Options =
        [
            new VerbOption("fahrenheit", "Print degrees Fahrenheit.", VerbValue.Flag),
            new VerbOption("band", "How far from the setpoint is still comfortable, in °C.", VerbValue.Number) { Default = "1" },
        ],
        UsesServer = true,
    };

    private static async Task<VerbResult> RunAsync(VerbContext context, CancellationToken ct)
    {
        var id = context.Argument("greenhouse")!;
        if (context.Number("band") is not > 0)
        {
            return VerbResult.Usage("--band must be positive.");
        }
        var (status, body) = await context.SendAsync(HttpMethod.Get, $"/digitaltwins/{Uri.EscapeDataString(id)}", null, ct);
        if (status != 200)
        {
            return VerbResult.Failed($"greenhouse '{id}': {body?["error"]?["message"] ?? status.ToString(CultureInfo.InvariantCulture)}");
        }
        if (body?["$metadata"]?["$model"]?.ToString() != GreenhousePack.Model)
        {
            return VerbResult.Failed($"twin '{id}' is not a greenhouse.");
        }
        var (temperature, setpoint) = ((double?)body["temperature"] ?? double.NaN, (double?)body["setpoint"] ?? double.NaN);
        string Degrees(double celsius) => context.Flag("fahrenheit")
            ? string.Create(CultureInfo.InvariantCulture, $"{(celsius * 9 / 5) + 32:0.#} °F")
            : string.Create(CultureInfo.InvariantCulture, $"{celsius:0.#} °C");
        var comfortable = Math.Abs(temperature - setpoint) <= context.Number("band");
        await context.Out.WriteLineAsync($"{id}: {Degrees(temperature)}, setpoint {Degrees(setpoint)}, heater {((bool?)body["heaterOn"] == true ? "on" : "off")}, {(comfortable ? "comfortable" : "out of the band")}");
        return VerbResult.Ok;
    }
}
