using System.Text.Json.Nodes;
using Doppel.Packs.Mobility.Sumo;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>
/// An optimised plan checked in SUMO: SUMO runs the network and demand with the plan in force and with the new plan
/// (loaded as an additional file), on the same seeds; the gain holds when the paired difference of the mean time loss
/// is negative with its 95% interval below zero.
/// </summary>
internal sealed record SumoConfirmation(IReadOnlyList<double> OriginalTimeLoss, IReadOnlyList<double> OptimizedTimeLoss, IReadOnlyList<double> OriginalDepartDelay, IReadOnlyList<double> OptimizedDepartDelay)
{
    public Comparison Gain => Comparison.PairedT("original", OriginalTimeLoss, "optimized", OptimizedTimeLoss, "timeLoss");

    public bool Holds => Gain.Difference < 0 && Gain.Upper < 0;

    public static async Task<Result<SumoConfirmation>> RunAsync(string net, IReadOnlyList<string> routes, string plan, int seeds, double? end, CancellationToken ct)
    {
        var peer = SumoPeer.Find();
        if (!peer.IsSuccess)
        {
            return Result<SumoConfirmation>.Fail(peer.Error);
        }
        var original = new List<(double TimeLoss, double DepartDelay)>();
        var optimized = new List<(double TimeLoss, double DepartDelay)>();
        for (var seed = 1UL; seed <= (ulong)seeds; seed++)
        {
            foreach (var (additional, into) in new[] { (Array.Empty<string>(), original), ([plan], optimized) })
            {
                var run = await SumoTrips.RunAsync(peer.Value, new SumoRunRequest(net, routes) { AdditionalFiles = additional, Seed = seed, End = end }, ct);
                if (!run.IsSuccess)
                {
                    return Result<SumoConfirmation>.Fail(run.Error);
                }
                var trips = run.Value;
                into.Add(trips.Count == 0 ? (double.NaN, double.NaN) : (trips.Average(t => t.TimeLoss), trips.Average(t => t.DepartDelay)));
            }
        }
        return Result<SumoConfirmation>.Ok(new SumoConfirmation([.. original.Select(o => o.TimeLoss)], [.. optimized.Select(o => o.TimeLoss)], [.. original.Select(o => o.DepartDelay)], [.. optimized.Select(o => o.DepartDelay)]));
    }

    public JsonObject ToJson() => new()
    {
        ["seeds"] = OriginalTimeLoss.Count,
        ["original"] = new JsonObject { ["timeLoss"] = ExperimentJson.Number(OriginalTimeLoss.Average()), ["departDelay"] = ExperimentJson.Number(OriginalDepartDelay.Average()) },
        ["optimized"] = new JsonObject { ["timeLoss"] = ExperimentJson.Number(OptimizedTimeLoss.Average()), ["departDelay"] = ExperimentJson.Number(OptimizedDepartDelay.Average()) },
        ["gain"] = ExperimentJson.Comparison(Gain),
        ["holds"] = Holds,
    };
}
