using System.Text.Json.Nodes;

namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// Replays a recorded day of detector counts through a <see cref="LinkFlowEstimator"/> (what the live follower does
/// period by period) and scores the estimated flows of every road against the day's true flows.
/// </summary>
public static class LinkFlowReplay
{
    /// <summary>Runs the estimate over the recording and scores it against <paramref name="truth"/>; an error says what does not fit.</summary>
    /// <param name="twins">The city's twins (roads with turns and departures, detectors that monitor them).</param>
    /// <param name="relationships">Their relationships.</param>
    /// <param name="recording">The detectors' counts.</param>
    /// <param name="truth">The true counts of every edge.</param>
    /// <param name="options">The estimator's options.</param>
    /// <param name="minimumVolume">Hourly cells with fewer true vehicles are left out of the hourly figures (they are mostly Poisson noise).</param>
    public static Result<LinkFlowScore> Score(IReadOnlyList<JsonObject> twins, IReadOnlyList<JsonObject> relationships, DetectorRecording recording, EdgeCounts truth, LinkFlowOptions? options = null, double minimumVolume = 50)
    {
        ArgumentNullException.ThrowIfNull(twins);
        ArgumentNullException.ThrowIfNull(relationships);
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(truth);
        var city = CityDetectors.From(twins, relationships);
        if (!city.IsSuccess)
        {
            return Result<LinkFlowScore>.Fail(city.Error!);
        }
        var model = LinkFlowModel.Create(CityTwins.Roads(twins.Where(t => (string?)t["$metadata"]?["$model"] == CityTwin.RoadModelId)));
        if (!model.IsSuccess)
        {
            return Result<LinkFlowScore>.Fail(model.Error!);
        }
        var detectors = city.Value!;
        var estimator = new LinkFlowEstimator(model.Value!, detectors.ObservedRoads, options);
        var roads = model.Value!.Roads;
        var estimated = new Dictionary<(string Road, int Hour), double>();
        var actual = new Dictionary<(string Road, int Hour), double>();
        var truthByPeriod = truth.Counts.GroupBy(c => c.End).ToDictionary(g => g.Key, g => g.ToDictionary(c => CityTwin.RoadId(c.Edge), c => c.Vehicles, StringComparer.Ordinal));
        int periods = 0, inside = 0, judged = 0;
        foreach (var period in recording.Periods())
        {
            var begin = period.Min(r => r.Begin);
            var length = period.Key - begin;
            var counts = detectors.Counts(period.Select(r => (CityTwin.DetectorId(r.Detector), r.Count, r.Speed)));
            var flows = estimator.Assimilate(period.Key, length, counts);
            periods++;
            var hour = (int)Math.Floor(begin / 3600);
            truthByPeriod.TryGetValue(period.Key, out var trueCounts);
            foreach (var flow in flows)
            {
                estimated[(flow.Road, hour)] = estimated.GetValueOrDefault((flow.Road, hour)) + flow.Flow * length / 3600;
                if (trueCounts is not null && trueCounts.TryGetValue(flow.Road, out var vehicles))
                {
                    actual[(flow.Road, hour)] = actual.GetValueOrDefault((flow.Road, hour)) + vehicles;
                    var count = vehicles * 3600 / length;
                    judged++;
                    inside += count >= flow.Lower && count <= flow.Upper ? 1 : 0;
                }
            }
        }
        if (actual.Count == 0)
        {
            return Result<LinkFlowScore>.Fail("InvalidArgument", "The true counts share no period and road with the recording: they are not of the same day or network.");
        }
        var observed = detectors.ObservedRoads.ToHashSet(StringComparer.Ordinal);
        LinkFlowScore.Part Part(Func<string, bool> include)
        {
            var cells = actual.Where(a => include(a.Key.Road) && a.Value >= minimumVolume).Select(a => (Estimate: estimated.GetValueOrDefault(a.Key), Truth: a.Value)).ToList();
            var days = roads.Where(r => include(r.Id)).Select(r => (Estimate: estimated.Where(e => e.Key.Road == r.Id).Sum(e => e.Value), Truth: actual.Where(a => a.Key.Road == r.Id).Sum(a => a.Value)))
                .Where(d => d.Truth > 0).ToList();
            return new LinkFlowScore.Part(cells.Count,
                cells.Count == 0 ? double.NaN : cells.Count(c => Math.Abs(c.Estimate - c.Truth) <= 0.1 * c.Truth) / (double)cells.Count,
                cells.Count == 0 ? double.NaN : cells.Sum(c => Math.Abs(c.Estimate - c.Truth)) / cells.Sum(c => c.Truth),
                days.Count == 0 ? double.NaN : days.Max(d => Math.Abs(d.Estimate - d.Truth) / d.Truth));
        }
        var all = roads.Select(r => (Estimate: estimated.Where(e => e.Key.Road == r.Id).Sum(e => e.Value), Truth: actual.Where(a => a.Key.Road == r.Id).Sum(a => a.Value))).Where(d => d.Truth > 0).ToList();
        return Result<LinkFlowScore>.Ok(new LinkFlowScore(periods, roads.Count, observed.Count, minimumVolume,
            Part(observed.Contains), Part(r => !observed.Contains(r)), Part(_ => true),
            all.Count(d => Math.Abs(d.Estimate - d.Truth) <= 0.1 * d.Truth) / (double)all.Count,
            judged == 0 ? double.NaN : inside / (double)judged));
    }
}
