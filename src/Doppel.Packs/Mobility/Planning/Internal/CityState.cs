using System.Globalization;
using System.Text.Json;
using Doppel.History;
using Doppel.Packs.Mobility.Live;
using Doppel.Twins;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>What the live twin knows of one road: its demand prior (trips starting on it, turning fractions) and the estimate of its traffic now.</summary>
internal sealed record RoadState(string Edge, double Departures, IReadOnlyDictionary<string, double> Turns, double? Flow, double? Density, double? MeanSpeed);

/// <summary>The city twin's state: its network file, its roads, and when the estimate was made.</summary>
internal sealed record CityState(string CityId, string NetFile, IReadOnlyDictionary<string, RoadState> Roads, string? EstimatedAt)
{
    private static readonly string[] Estimates = [CityTwin.Flow, CityTwin.Density, CityTwin.MeanSpeed];

    /// <summary>
    /// Reads the city <paramref name="cityId"/> and its roads from the graph: the estimate as the twins hold it now, or
    /// as history held it at the start's time; none when the fork starts empty.
    /// </summary>
    public static async Task<Result<CityState>> ReadAsync(Doppel.Packs.ScenarioContext context, string cityId, Doppel.Packs.ScenarioStart start, CancellationToken ct)
    {
        if (!context.Graph.TryGetTwin(cityId, out var city))
        {
            return Result<CityState>.Fail("DigitalTwinNotFound", $"There is no digital twin with id '{cityId}'.");
        }
        if (!context.IsOfModel(city, CityTwin.ModelId))
        {
            return Result<CityState>.Fail("InvalidArgument", $"Twin '{cityId}' is a {city.Model.Value}, not a {CityTwin.ModelId}.");
        }
        if (Text(city, CityTwin.NetFile) is not { Length: > 0 } netFile)
        {
            return Result<CityState>.Fail("InvalidArgument", $"City '{cityId}' has no '{CityTwin.NetFile}' naming its SUMO network.");
        }
        var roads = new List<(string TwinId, TwinDocument Twin)>();
        foreach (var relationship in context.Graph.Outgoing(cityId, CityTwin.Contains))
        {
            if (context.Graph.TryGetTwin(relationship.TargetId, out var twin) && context.IsOfModel(twin, CityTwin.RoadModelId))
            {
                roads.Add((twin.Id, twin));
            }
        }
        if (roads.Count == 0)
        {
            return Result<CityState>.Fail("InvalidArgument", $"City '{cityId}' contains no road twins ({CityTwin.RoadModelId}).");
        }
        var edgeOf = roads.Where(r => Text(r.Twin, CityTwin.Edge) is not null).ToDictionary(r => r.TwinId, r => Text(r.Twin, CityTwin.Edge)!, StringComparer.Ordinal);
        Dictionary<(string, string), HistoryPoint>? past = null;
        if (start.At is { } at)
        {
            var points = await context.LatestAtAsync([.. edgeOf.Keys], Estimates, at, ct);
            past = points.ToDictionary(p => (p.TwinId, p.Name));
        }
        var states = new Dictionary<string, RoadState>(StringComparer.Ordinal);
        string? estimatedAt = start.IsEmpty ? null : start.At is { } when ? when.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : Text(city, CityTwin.EstimatedAt);
        foreach (var (twinId, twin) in roads)
        {
            if (!edgeOf.TryGetValue(twinId, out var edge))
            {
                continue;
            }
            var turns = new Dictionary<string, double>(StringComparer.Ordinal);
            if (twin.TryGetProperty(CityTwin.Turns, out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var turn in map.EnumerateObject())
                {
                    if (edgeOf.TryGetValue(turn.Name, out var next) && turn.Value.ValueKind == JsonValueKind.Number && turn.Value.GetDouble() > 0)
                    {
                        turns[next] = turn.Value.GetDouble();
                    }
                }
            }
            double? Estimate(string name) => start.IsEmpty ? null
                : past is not null ? past.TryGetValue((twinId, name), out var point) ? point.Number : null
                : Number(twin, name);
            states[edge] = new RoadState(edge, Number(twin, CityTwin.Departures) ?? 0, turns, Estimate(CityTwin.Flow), Estimate(CityTwin.Density), Estimate(CityTwin.MeanSpeed));
        }
        return Result<CityState>.Ok(new CityState(cityId, netFile, states, estimatedAt));
    }

    private static string? Text(TwinDocument twin, string name) =>
        twin.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(TwinDocument twin, string name) =>
        twin.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
