using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Sumo;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>SUMO's trips of one run (<see cref="SumoPeer"/>), its output folder removed once read.</summary>
internal static class SumoTrips
{
    public static async Task<Result<IReadOnlyList<TripInfo>>> RunAsync(SumoPeer peer, SumoRunRequest request, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), "doppel-planning-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = await peer.RunAsync(request with { OutputFolder = folder, TripInfo = true }, ct);
            return run.IsSuccess ? Result<IReadOnlyList<TripInfo>>.Ok(run.Value.Trips) : Result<IReadOnlyList<TripInfo>>.Fail(run.Error);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
