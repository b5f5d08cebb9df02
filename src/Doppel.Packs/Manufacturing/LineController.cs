using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// A line's controller, played by a simulation of that very line: the definition read from the line's twins runs in
/// scaled real time, and what its machines and buffers would report goes to the twins through a device link, as a PLC
/// would. Buffer levels, station states and crews busy are reported properties, sent when they change; each station's
/// latest cycle time (and its temperature, when it has a thermal limit) and the line's throughput are telemetry. The
/// twin then holds a line whose state is consistent (parts flow, blocked stations sit before full buffers), so a fork
/// of it starts from something the line could really be in.
/// </summary>
public sealed class LineController
{
    private readonly string _lineId;
    private readonly LineLayout _layout;
    private readonly ProductionLine _line;
    private readonly double _speed;
    private readonly TimeProvider _time;
    private readonly string _runId;
    private LineSnapshot? _reported;
    private long _messages;

    /// <param name="lineId">The line's twin.</param>
    /// <param name="line">The line as its twins define it.</param>
    /// <param name="layout">The twins its stations, buffers and crews report to.</param>
    /// <param name="initial">Where it starts (what the twins last reported), or empty.</param>
    /// <param name="speed">Line time units (the sample's minutes) simulated per real second.</param>
    /// <param name="seed">Seeds the line's randomness.</param>
    /// <param name="time">The clock line time follows.</param>
    public LineController(string lineId, LineDefinition line, LineLayout layout, LineState? initial, double speed, ulong seed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.StationIds.Count != line.Stations.Count || layout.BufferIds.Count != line.Buffers.Count)
        {
            throw new ArgumentException("The layout's twins do not match the line's stations and buffers.", nameof(layout));
        }
        _lineId = lineId;
        _layout = layout;
        _speed = speed;
        _time = time;
        // Message ids must differ between runs (the server drops ids it has seen): the run's start and seed tell runs apart.
        _runId = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().ToUnixTimeMilliseconds():x}-{seed:x}");
        _line = new ProductionLine(new Simulation.Simulation(seed), line, initial);
        ThermalStations = [.. layout.StationIds.Where((_, i) => line.Stations[i].Thermal is not null)];
        _line.Start();
    }

    /// <summary>Stations whose temperature the model reports (those with a thermal limit).</summary>
    public IReadOnlyList<string> ThermalStations { get; }

    /// <summary>The state last reported to the twins.</summary>
    public LineSnapshot? Reported => _reported;

    /// <summary>Reports every <paramref name="tick"/> until cancelled, with line time following the clock from now.</summary>
    public async Task RunAsync(IDeviceLink link, TimeSpan tick, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        using var timer = new PeriodicTimer(tick, _time);
        await ReportAsync(link, 0, ct);
        while (await timer.WaitForNextTickAsync(ct))
        {
            await ReportAsync(link, _time.GetElapsedTime(started).TotalSeconds * _speed, ct);
        }
    }

    /// <summary>Runs the line up to <paramref name="lineTime"/> and publishes what changed since the last report (all of it the first time).</summary>
    public async Task ReportAsync(IDeviceLink link, double lineTime, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        _line.AdvanceTo(lineTime);
        var now = _line.Snapshot();
        var last = _reported;
        var sourceTime = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        for (var b = 0; b < now.BufferLevels.Count; b++)
        {
            if (last is null || last.BufferLevels[b] != now.BufferLevels[b])
            {
                await PublishAsync(link, _layout.BufferIds[b], DeviceMessageKind.Properties, new JsonObject { ["level"] = now.BufferLevels[b] }, sourceTime, ct);
            }
        }
        for (var s = 0; s < now.StationStates.Count; s++)
        {
            if (last is null || last.StationStates[s] != now.StationStates[s])
            {
                await PublishAsync(link, _layout.StationIds[s], DeviceMessageKind.Properties, new JsonObject { ["state"] = now.StationStates[s] }, sourceTime, ct);
            }
            var telemetry = new JsonObject();
            if (now.CyclesFinished[s] > (last?.CyclesFinished[s] ?? 0))
            {
                telemetry["cycleTimeMeasured"] = Math.Round(now.LastCycleTimes[s], 4);
            }
            if (now.Temperatures[s] is { } temperature)
            {
                // A station with a thermal limit: its temperature is the model's, not a device's random walk.
                telemetry["temperature"] = Math.Round(temperature, 3);
            }
            if (telemetry.Count > 0)
            {
                await PublishAsync(link, _layout.StationIds[s], DeviceMessageKind.Telemetry, telemetry, sourceTime, ct);
            }
        }
        // A line with one crew twin reports its busy technicians there; how several crews split the work is not modelled.
        if (_layout.CrewIds.Count == 1 && (last is null || last.CrewsBusy != now.CrewsBusy))
        {
            await PublishAsync(link, _layout.CrewIds[0], DeviceMessageKind.Properties, new JsonObject { ["busy"] = now.CrewsBusy }, sourceTime, ct);
        }
        if (last is not null && now.Time > last.Time)
        {
            // Parts per line time unit over the interval since the last report.
            var throughput = (now.Shipped - last.Shipped) / (now.Time - last.Time);
            await PublishAsync(link, _lineId, DeviceMessageKind.Telemetry, new JsonObject { ["throughput"] = Math.Round(throughput, 4) }, sourceTime, ct);
        }
        _reported = now;
    }

    private Task PublishAsync(IDeviceLink link, string twinId, DeviceMessageKind kind, JsonObject payload, string sourceTime, CancellationToken ct)
    {
        payload["$sourceTime"] = sourceTime;
        payload["$messageId"] = $"{_lineId}-{_runId}-{++_messages}";
        return link.PublishAsync(twinId, kind, payload, ct);
    }
}
