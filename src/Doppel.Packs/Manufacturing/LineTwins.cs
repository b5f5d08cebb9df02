using System.Text.Json;
using Doppel.Simulation;
using Doppel.Twins;

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// Reads a line from its twins (models in samples/factory/models.json): the line's <c>hasStation</c> and <c>hasBuffer</c>
/// relationships, each ordered by <c>sequence</c>, give the definition, and its <c>hasCrew</c> crews (their <c>size</c>)
/// the shared repair crews; buffers' <c>level</c> and stations' <c>state</c> give where it stands now. Reads only: a
/// scenario never writes to live twins.
/// </summary>
public static class LineTwins
{
    public const string LineModel = "dtmi:doppel:manufacturing:Line;1";

    public static Result<(LineDefinition Line, LineState State)> Read(TwinGraph graph, string lineId)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!graph.TryGetTwin(lineId, out var line))
        {
            return Fail("DigitalTwinNotFound", $"There is no digital twin with id '{lineId}'.");
        }
        if (line.Model.Value != LineModel)
        {
            return Fail("InvalidArgument", $"Twin '{lineId}' is a {line.Model.Value}, not a {LineModel}.");
        }
        var stationTwins = Ordered(graph, lineId, "hasStation");
        var bufferTwins = Ordered(graph, lineId, "hasBuffer");
        if (!stationTwins.IsSuccess || !bufferTwins.IsSuccess)
        {
            return Result<(LineDefinition, LineState)>.Fail(stationTwins.Error ?? bufferTwins.Error!);
        }
        var stations = new List<StationDefinition>();
        var down = new List<bool>();
        var states = new List<string?>();
        foreach (var twin in stationTwins.Value)
        {
            var cycle = Dist(twin, "cycleTime", required: true);
            var failure = Dist(twin, "timeToFailure", required: false);
            var repair = Dist(twin, "timeToRepair", required: false);
            var thermal = Thermal(twin);
            if ((cycle.Error ?? failure.Error ?? repair.Error ?? thermal.Error) is { } error)
            {
                return Result<(LineDefinition, LineState)>.Fail(error);
            }
            stations.Add(new StationDefinition(twin.Id, cycle.Value!)
            {
                TimeToFailure = failure.Value,
                TimeToRepair = repair.Value,
                ScrapRate = Number(twin, "scrapRate") ?? 0,
                IdealCycleTime = Number(twin, "idealCycleTime"),
                Thermal = thermal.Value,
                FailureClock = twin.TryGetProperty("failureClock", out var clock) && clock.ValueKind == JsonValueKind.String && clock.GetString() == "calendar"
                    ? FailureClock.Calendar
                    : FailureClock.Working,
            });
            var state = twin.TryGetProperty("state", out var reported) && reported.ValueKind == JsonValueKind.String ? reported.GetString() : null;
            states.Add(state);
            down.Add(state == "down");
        }
        var capacities = new List<int>();
        var levels = new List<int>();
        foreach (var twin in bufferTwins.Value)
        {
            if (Number(twin, "capacity") is not { } capacity || capacity < 1)
            {
                return Fail("ValidationFailed", $"Buffer '{twin.Id}' needs a 'capacity' of at least 1.");
            }
            capacities.Add((int)capacity);
            levels.Add((int)Math.Clamp(Number(twin, "level") ?? 0, 0, capacity));
        }
        // Crews serving the line share its repairs; without any, every station has its own repairer.
        int? crews = null;
        foreach (var r in graph.Outgoing(lineId, "hasCrew"))
        {
            if (graph.TryGetTwin(r.TargetId, out var crew) && Number(crew, "size") is { } size && size >= 1)
            {
                crews = (crews ?? 0) + (int)size;
            }
        }
        var definition = new LineDefinition(stations, capacities) { Crews = crews };
        if (definition.Validate() is { Count: > 0 } errors)
        {
            return Fail("ValidationFailed", $"Line '{lineId}': {string.Join(" ", errors)}");
        }
        return Result<(LineDefinition, LineState)>.Ok((definition, new LineState(levels, down) { StationStates = states }));
    }

    /// <summary>The twin ids of a line's stations and buffers in line order, and of its crews: where the line's parts report.</summary>
    public static Result<LineLayout> Layout(TwinGraph graph, string lineId)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!graph.TryGetTwin(lineId, out _))
        {
            return Result<LineLayout>.Fail("DigitalTwinNotFound", $"There is no digital twin with id '{lineId}'.");
        }
        var stations = Ordered(graph, lineId, "hasStation");
        var buffers = Ordered(graph, lineId, "hasBuffer");
        if (!stations.IsSuccess || !buffers.IsSuccess)
        {
            return Result<LineLayout>.Fail(stations.Error ?? buffers.Error!);
        }
        return Result<LineLayout>.Ok(new LineLayout(
            [.. stations.Value.Select(t => t.Id)],
            [.. buffers.Value.Select(t => t.Id)],
            [.. graph.Outgoing(lineId, "hasCrew").Select(r => r.TargetId)]));
    }

    private static Result<List<TwinDocument>> Ordered(TwinGraph graph, string lineId, string relationship)
    {
        var twins = new List<(long Sequence, TwinDocument Twin)>();
        foreach (var r in graph.Outgoing(lineId, relationship))
        {
            if (!graph.TryGetTwin(r.TargetId, out var twin))
            {
                return Result<List<TwinDocument>>.Fail("ValidationFailed", $"'{lineId}' {relationship} '{r.TargetId}', which does not exist.");
            }
            if (Number(twin, "sequence") is not { } sequence)
            {
                return Result<List<TwinDocument>>.Fail("ValidationFailed", $"'{twin.Id}' needs a 'sequence' (its position in line '{lineId}').");
            }
            twins.Add(((long)sequence, twin));
        }
        return Result<List<TwinDocument>>.Ok([.. twins.OrderBy(t => t.Sequence).ThenBy(t => t.Twin.Id, StringComparer.Ordinal).Select(t => t.Twin)]);
    }

    private static Result<Distribution?> Dist(TwinDocument twin, string name, bool required)
    {
        if (!twin.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return required
                ? Result<Distribution?>.Fail("ValidationFailed", $"Station '{twin.Id}' needs '{name}', a distribution such as normal(10, 2).")
                : Result<Distribution?>.Ok(null);
        }
        var parsed = Distribution.Parse(value.GetString()!);
        return parsed.IsSuccess ? Result<Distribution?>.Ok(parsed.Value) : Result<Distribution?>.Fail("ValidationFailed", $"Station '{twin.Id}', {name}: {parsed.Error.Message}");
    }

    /// <summary>The station's <c>thermal</c> object, all five fields, when it has one.</summary>
    private static Result<ThermalLimit?> Thermal(TwinDocument twin)
    {
        if (!twin.TryGetProperty("thermal", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return Result<ThermalLimit?>.Ok(null);
        }
        double? Field(string name) => value.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.Number ? f.GetDouble() : null;
        var (ambient, rise, tau, trip, resume) = (Field("ambient"), Field("rise"), Field("timeConstant"), Field("tripAt"), Field("resumeAt"));
        return ambient is null || rise is null || tau is null || trip is null || resume is null
            ? Result<ThermalLimit?>.Fail("ValidationFailed", $"Station '{twin.Id}': 'thermal' needs ambient, rise, timeConstant, tripAt and resumeAt.")
            : Result<ThermalLimit?>.Ok(new ThermalLimit(ambient.Value, rise.Value, tau.Value, trip.Value, resume.Value));
    }

    private static double? Number(TwinDocument twin, string name) =>
        twin.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static Result<(LineDefinition, LineState)> Fail(string code, string message) => Result<(LineDefinition, LineState)>.Fail(code, message);
}
