using System.Text.Json.Nodes;

namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// Which road each detector of a city counts, and so which roads are observed: those whose every lane has a detector
/// (a road's count is then the sum of its detectors'); a detector on a road with an uncounted lane is not used.
/// </summary>
public sealed class CityDetectors
{
    private readonly Dictionary<string, string> _roadOf;
    private readonly Dictionary<string, int> _detectorsOf;

    private CityDetectors(Dictionary<string, string> roadOf, Dictionary<string, int> detectorsOf, IReadOnlyList<string> observed)
    {
        _roadOf = roadOf;
        _detectorsOf = detectorsOf;
        ObservedRoads = observed;
    }

    /// <summary>The road twins counted on every lane, in id order.</summary>
    public IReadOnlyList<string> ObservedRoads { get; }

    /// <summary>The road a detector twin counts for, when that road is observed.</summary>
    public string? RoadOf(string detector) => _roadOf.GetValueOrDefault(detector);

    /// <summary>From twin documents and relationships (a sample, an import file).</summary>
    public static Result<CityDetectors> From(IReadOnlyList<JsonObject> twins, IReadOnlyList<JsonObject> relationships)
    {
        ArgumentNullException.ThrowIfNull(twins);
        ArgumentNullException.ThrowIfNull(relationships);
        var byId = twins.Where(t => t["$dtId"] is not null).ToDictionary(t => (string)t["$dtId"]!, StringComparer.Ordinal);
        var monitors = relationships.Where(r => (string?)r["$relationshipName"] == CityTwin.Monitors)
            .Select(r => (Detector: (string)r["$sourceId"]!, Road: (string)r["$targetId"]!));
        return Create(monitors.Select(m => (m.Detector, m.Road, byId.TryGetValue(m.Detector, out var d) ? (string?)d[CityTwin.Lane] : null,
            byId.TryGetValue(m.Road, out var road) && road[CityTwin.Lanes] is JsonValue lanes && lanes.TryGetValue<int>(out var count) ? count : 1)));
    }

    /// <summary>From (detector, road, the detector's lane, the road's lane count) tuples.</summary>
    public static Result<CityDetectors> Create(IEnumerable<(string Detector, string Road, string? Lane, int RoadLanes)> detectors)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        var byRoad = detectors.GroupBy(d => d.Road, StringComparer.Ordinal).ToList();
        var roadOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var detectorsOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var observed = new List<string>();
        foreach (var road in byRoad)
        {
            var lanes = road.Select(d => d.Lane).OfType<string>().Distinct(StringComparer.Ordinal).Count();
            if (lanes < road.First().RoadLanes)
            {
                continue;
            }
            observed.Add(road.Key);
            detectorsOf[road.Key] = road.Count();
            foreach (var detector in road)
            {
                roadOf[detector.Detector] = road.Key;
            }
        }
        if (observed.Count == 0)
        {
            return Result<CityDetectors>.Fail("InvalidArgument", "No road has detectors on all its lanes, so no road's flow is counted: link flows cannot be estimated.");
        }
        observed.Sort(StringComparer.Ordinal);
        return Result<CityDetectors>.Ok(new CityDetectors(roadOf, detectorsOf, observed));
    }

    /// <summary>
    /// Road counts of one period from its detectors' readings (detector twin id, vehicles, speed): a road whose every
    /// detector reported gets their sum and count-weighted speed; a road with a detector missing is left out.
    /// </summary>
    public IReadOnlyDictionary<string, RoadCount> Counts(IEnumerable<(string Detector, int Vehicles, double Speed)> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var sums = new Dictionary<string, (int Detectors, int Vehicles, double SpeedSum, int Timed)>(StringComparer.Ordinal);
        foreach (var (detector, vehicles, speed) in readings)
        {
            if (RoadOf(detector) is not { } road)
            {
                continue;
            }
            var s = sums.GetValueOrDefault(road);
            sums[road] = (s.Detectors + 1, s.Vehicles + vehicles, s.SpeedSum + (speed >= 0 ? speed * vehicles : 0), s.Timed + (speed >= 0 ? vehicles : 0));
        }
        return sums.Where(s => s.Value.Detectors == _detectorsOf[s.Key])
            .ToDictionary(s => s.Key, s => new RoadCount(s.Value.Vehicles, s.Value.Timed > 0 ? s.Value.SpeedSum / s.Value.Timed : -1), StringComparer.Ordinal);
    }
}
