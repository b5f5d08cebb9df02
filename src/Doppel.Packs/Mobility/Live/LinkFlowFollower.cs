using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Doppel.History;
using Doppel.Packs.Mobility.Live.Internal;
using Doppel.Twins;

namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// The live city: follows detectors (<see cref="CityTwin.DetectorModelId"/>). Their counts are gathered per city (the
/// city that <c>contains</c> them) and per period (the reading's source time is the period's end); once every detector
/// of the counted roads has reported a period, or those that did have reported a later one (a silent detector does not
/// hold the city back), the period is assimilated by the city's <see cref="LinkFlowEstimator"/> and every road's flow
/// with its 90% interval, mean speed and density is written to the road twins as reported properties at the period's
/// end, then <c>estimatedAt</c> to the city. Periods are handled in time order on the follower's own task; a count for
/// a period already estimated is stored but not assimilated. The model (roads, turns, departures, detectors) is read
/// from the twins at a city's first count.
/// </summary>
public sealed class LinkFlowFollower(LinkFlowOptions? options = null) : ITwinFollower
{
    /// <summary>The follower's name in the mobility pack.</summary>
    public const string Name = "link-flows";

    private readonly LinkFlowOptions _options = options ?? new LinkFlowOptions();
    private readonly Channel<(TwinDocument Twin, IReadOnlyList<HistoryPoint> Points)> _readings =
        Channel.CreateUnbounded<(TwinDocument, IReadOnlyList<HistoryPoint>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, City?> _cities = new(StringComparer.Ordinal);

    /// <summary>The follower as the pack registers it.</summary>
    public static TwinFollower Registration => new(Name,
        "Estimates the flow of every road of a city from its detectors' counts, period by period (ensemble Kalman filter on a link-flow model of turning fractions and departures), and writes flow with a 90% interval, mean speed and density to the road twins.",
        [CityTwin.DetectorModelId], () => new LinkFlowFollower());

    /// <inheritdoc/>
    public void OnTelemetry(TwinDocument twin, IReadOnlyList<HistoryPoint> points)
    {
        foreach (var point in points)
        {
            if (point.Name == CityTwin.Count)
            {
                _readings.Writer.TryWrite((twin, points));
                return;
            }
        }
    }

    /// <inheritdoc/>
    public async Task RunAsync(FollowerContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        await foreach (var (twin, points) in _readings.Reader.ReadAllAsync(ct))
        {
            if (CityOf(context, twin.Id) is not { } cityId)
            {
                continue;
            }
            if (!_cities.TryGetValue(cityId, out var city))
            {
                city = Load(context, cityId);
                _cities[cityId] = city;
            }
            if (city is null)
            {
                continue;
            }
            try
            {
                city.Add(context, twin.Id, points);
                while (city.Next() is { } period)
                {
                    await EstimateAsync(context, city, period.End, period.Readings, ct);
                }
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
            {
                _cities.Remove(cityId);
                context.Log.FollowingFailed(e, cityId);
            }
        }
    }

    private static string? CityOf(FollowerContext context, string detector)
    {
        foreach (var incoming in context.Graph.Incoming(detector))
        {
            if (incoming.Name == CityTwin.Contains && context.Graph.TryGetTwin(incoming.SourceId, out var city) && context.IsOfModel(city, CityTwin.ModelId))
            {
                return city.Id;
            }
        }
        return null;
    }

    private City? Load(FollowerContext context, string cityId)
    {
        var twins = new List<JsonObject>();
        var relationships = new List<JsonObject>();
        foreach (var contained in context.Graph.Outgoing(cityId, CityTwin.Contains))
        {
            if (!context.Graph.TryGetTwin(contained.TargetId, out var twin))
            {
                continue;
            }
            if (context.IsOfModel(twin, CityTwin.RoadModelId))
            {
                var json = twin.ToJson();
                json["$metadata"] = new JsonObject { ["$model"] = CityTwin.RoadModelId };
                twins.Add(json);
            }
            else if (context.IsOfModel(twin, CityTwin.DetectorModelId))
            {
                twins.Add(twin.ToJson());
                foreach (var monitors in context.Graph.Outgoing(twin.Id, CityTwin.Monitors))
                {
                    relationships.Add(new JsonObject { ["$sourceId"] = twin.Id, ["$targetId"] = monitors.TargetId, ["$relationshipName"] = CityTwin.Monitors });
                }
            }
        }
        var detectors = CityDetectors.From(twins, relationships);
        if (!detectors.IsSuccess)
        {
            context.Log.CityNotFollowed(cityId, detectors.Error!.Message);
            return null;
        }
        var model = LinkFlowModel.Create(CityTwins.Roads(twins.Where(t => (string?)t["$metadata"]?["$model"] == CityTwin.RoadModelId)));
        if (!model.IsSuccess)
        {
            context.Log.CityNotFollowed(cityId, model.Error!.Message);
            return null;
        }
        var periods = twins.Where(t => detectors.Value!.RoadOf((string)t["$dtId"]!) is not null)
            .ToDictionary(t => (string)t["$dtId"]!, t => t[CityTwin.Period] is JsonValue p && p.TryGetValue<double>(out var s) && s > 0 ? s : 300, StringComparer.Ordinal);
        return new City(cityId, detectors.Value!, new LinkFlowEstimator(model.Value!, detectors.Value!.ObservedRoads, _options), periods);
    }

    private static async Task EstimateAsync(FollowerContext context, City city, DateTimeOffset end, IReadOnlyDictionary<string, (int Count, double Speed)> readings, CancellationToken ct)
    {
        var period = readings.Keys.Select(d => city.Periods[d]).DefaultIfEmpty(300).Max();
        var counts = city.Detectors.Counts(readings.Select(r => (r.Key, r.Value.Count, r.Value.Speed)));
        var flows = city.Estimator.Assimilate(end.ToUnixTimeMilliseconds() / 1000.0, period, counts);
        var at = end.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        foreach (var flow in flows)
        {
            var written = await context.ReportPropertiesAsync(flow.Road, new JsonObject
            {
                [CityTwin.Flow] = Math.Round(flow.Flow, 1),
                [CityTwin.FlowLower] = Math.Round(flow.Lower, 1),
                [CityTwin.FlowUpper] = Math.Round(flow.Upper, 1),
                [CityTwin.MeanSpeed] = Math.Round(flow.MeanSpeed, 2),
                [CityTwin.Density] = Math.Round(flow.Density, 2),
                [CityTwin.Observed] = flow.Observed,
                [CityTwin.EstimatedAt] = at,
            }, end, ct);
            if (!written.IsSuccess)
            {
                context.Log.EstimateNotWritten(flow.Road, written.Error!.Message);
            }
        }
        var cityWritten = await context.ReportPropertiesAsync(city.Id, new JsonObject { [CityTwin.EstimatedAt] = at, [CityTwin.DetectorsReporting] = readings.Count }, end, ct);
        if (!cityWritten.IsSuccess)
        {
            context.Log.EstimateNotWritten(city.Id, cityWritten.Error!.Message);
        }
    }

    /// <summary>One city's estimator and the periods whose counts are still coming in.</summary>
    private sealed class City(string id, CityDetectors detectors, LinkFlowEstimator estimator, IReadOnlyDictionary<string, double> periods)
    {
        private readonly SortedDictionary<DateTimeOffset, Dictionary<string, (int Count, double Speed)>> _pending = [];
        private DateTimeOffset? _last;

        public string Id => id;

        public CityDetectors Detectors => detectors;

        public LinkFlowEstimator Estimator => estimator;

        /// <summary>Detector twin id → its period (s), for the detectors of counted roads.</summary>
        public IReadOnlyDictionary<string, double> Periods => periods;

        public void Add(FollowerContext context, string detector, IReadOnlyList<HistoryPoint> points)
        {
            if (!periods.ContainsKey(detector))
            {
                return;
            }
            foreach (var group in points.GroupBy(p => p.Time))
            {
                if (group.FirstOrDefault(p => p.Name == CityTwin.Count) is not { Number: { } count } || !(count >= 0))
                {
                    continue;
                }
                if (_last is { } last && group.Key <= last)
                {
                    context.Log.LateCount(detector, group.Key);
                    continue;
                }
                var speed = group.FirstOrDefault(p => p.Name == CityTwin.Speed).Number ?? -1;
                if (!_pending.TryGetValue(group.Key, out var readings))
                {
                    _pending[group.Key] = readings = new Dictionary<string, (int, double)>(StringComparer.Ordinal);
                }
                readings[detector] = ((int)Math.Round(count), speed);
            }
        }

        /// <summary>The oldest period that is complete, or that the detectors which reported it have moved past; null when none is.</summary>
        public (DateTimeOffset End, IReadOnlyDictionary<string, (int Count, double Speed)> Readings)? Next()
        {
            if (_pending.Count == 0)
            {
                return null;
            }
            var (end, readings) = _pending.First();
            var complete = readings.Count >= periods.Count
                || _pending.Skip(1).Any(later => readings.Keys.All(later.Value.ContainsKey));
            if (!complete)
            {
                return null;
            }
            _pending.Remove(end);
            _last = end;
            return (end, readings);
        }
    }
}
