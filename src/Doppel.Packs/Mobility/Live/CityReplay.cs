using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Twins;

namespace Doppel.Packs.Mobility.Live;

/// <summary>The sample city's twins matched with a recorded day: which detector twin each recorded detector is, and the signals' clocks.</summary>
public sealed record CityReplay(string CityId, IReadOnlyDictionary<string, string> Detectors, IReadOnlyDictionary<string, SignalClock> Signals, IReadOnlyList<IGrouping<double, DetectorReading>> Periods)
{
    /// <summary>Matches the recording's detectors with the detector twins of the graph's city (by their <c>detector</c> property).</summary>
    public static Result<CityReplay> Create(TwinGraph graph, DetectorRecording recording)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(recording);
        var bySumoId = new Dictionary<string, string>(StringComparer.Ordinal);
        string? cityId = null;
        foreach (var twin in graph.Twins.Where(t => t.Model.Value == CityTwin.DetectorModelId))
        {
            if (twin.TryGetProperty(CityTwin.Detector, out var id) && id.ValueKind == JsonValueKind.String)
            {
                bySumoId[id.GetString()!] = twin.Id;
                cityId ??= graph.Incoming(twin.Id).FirstOrDefault(r => r.Name == CityTwin.Contains)?.SourceId;
            }
        }
        var detectors = recording.Readings.Select(r => r.Detector).Distinct(StringComparer.Ordinal).Where(bySumoId.ContainsKey)
            .ToDictionary(d => d, d => bySumoId[d], StringComparer.Ordinal);
        if (detectors.Count == 0 || cityId is null)
        {
            return Result<CityReplay>.Fail("InvalidArgument", $"No detector twin of a city matches the recorded day's detectors: load the sample '{MobilityPack.SampleName}'.");
        }
        var signals = new Dictionary<string, SignalClock>(StringComparer.Ordinal);
        foreach (var twin in graph.Twins.Where(t => t.Model.Value == CityTwin.SignalModelId))
        {
            if (twin.TryGetProperty(CityTwin.Program, out var program) && program.ValueKind == JsonValueKind.String && SignalClock.Parse(program.GetString()!) is { IsSuccess: true } clock)
            {
                signals[twin.Id] = clock.Value!;
            }
        }
        return Result<CityReplay>.Ok(new CityReplay(cityId, detectors, signals, recording.Periods()));
    }

    /// <summary>Publishes one period of the day that starts at <paramref name="day"/>: every detector's reading, then every signal's state at the period's end.</summary>
    public async Task PublishAsync(IDeviceLink link, DateTimeOffset day, IGrouping<double, DetectorReading> period, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(period);
        var end = day.AddSeconds(period.Key);
        var time = end.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        foreach (var reading in period)
        {
            if (!Detectors.TryGetValue(reading.Detector, out var twin))
            {
                continue;
            }
            await link.PublishAsync(twin, DeviceMessageKind.Telemetry, new JsonObject
            {
                [CityTwin.Count] = reading.Count,
                [CityTwin.DetectorFlow] = reading.Flow,
                [CityTwin.Occupancy] = reading.Occupancy,
                [CityTwin.Speed] = reading.Speed,
                ["$sourceTime"] = time,
                ["$messageId"] = $"{twin}-{end.UtcTicks}",
            }, ct);
        }
        foreach (var (signal, clock) in Signals)
        {
            var (phase, state) = clock.At(period.Key);
            await link.PublishAsync(signal, DeviceMessageKind.Properties, new JsonObject
            {
                [CityTwin.Phase] = phase,
                [CityTwin.State] = state,
                ["$sourceTime"] = time,
                ["$messageId"] = $"{signal}-{end.UtcTicks}",
            }, ct);
        }
    }
}
