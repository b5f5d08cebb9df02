using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Doppel.History;
using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Patients.Internal;
using Doppel.Rules;
using Doppel.Twins;

namespace Doppel.Packs.Health.Patients;

/// <summary>
/// The live patient twin: follows patients (<see cref="PatientTwin.ModelId"/>), their CGMs and pumps (the twins their
/// <c>sensor</c> and <c>pump</c> relationships point to). Meals (the patient's <c>carbs</c>), basal rates and boluses
/// (the pump's) feed a <see cref="GlucoseEstimator"/> per patient (its parameters from the twin's <c>profile</c>);
/// each CGM reading corrects it, and the estimate, the 30- and 60-minute forecasts with their intervals and the
/// hypoglycaemia risk are written to the patient twin as reported properties at the reading's time. The alert
/// <see cref="PatientTwin.HypoAlert"/> is raised when the risk of glucose below 70 within 30 minutes reaches
/// <see cref="GlucoseEstimatorOptions.AlertRisk"/>, and resolved when it falls below <see cref="GlucoseEstimatorOptions.ClearRisk"/>.
/// Readings are handled in arrival order on the follower's own task. A patient's estimate starts with the first reading
/// the follower hears (after a restart too): insulin and meals before it are not replayed.
/// </summary>
public sealed class PatientFollower(GlucoseEstimatorOptions? options = null) : ITwinFollower
{
    /// <summary>The follower's name in the health pack.</summary>
    public const string Name = "patient-twin";

    private static readonly string[] Names = [PatientTwin.Glucose, PatientTwin.Carbs, PatientTwin.Basal, PatientTwin.Bolus];
    private readonly GlucoseEstimatorOptions _options = options ?? new GlucoseEstimatorOptions();
    private readonly Channel<(TwinDocument Twin, IReadOnlyList<HistoryPoint> Points)> _readings =
        Channel.CreateUnbounded<(TwinDocument, IReadOnlyList<HistoryPoint>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, GlucoseEstimator?> _patients = new(StringComparer.Ordinal);

    /// <summary>The follower as the pack registers it.</summary>
    public static TwinFollower Registration => new(Name,
        "Keeps each patient's UVA/Padova state in step with the CGM (unscented Kalman filter with the pump's insulin and the meals), writes the estimated glucose, 30- and 60-minute forecasts with 90% intervals and the hypoglycaemia risk, and raises predicted-hypo before glucose falls below 70.",
        [PatientTwin.ModelId, PatientTwin.SensorModelId, PatientTwin.PumpModelId], () => new PatientFollower());

    /// <inheritdoc/>
    public void OnTelemetry(TwinDocument twin, IReadOnlyList<HistoryPoint> points)
    {
        foreach (var point in points)
        {
            if (Array.IndexOf(Names, point.Name) >= 0)
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
            var patientId = PatientOf(context, twin);
            if (patientId is null)
            {
                continue;
            }
            try
            {
                await HandleAsync(context, patientId, points, ct);
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
            {
                _patients.Remove(patientId);
                context.Log.FollowingFailed(e, patientId);
            }
        }
    }

    /// <summary>The patient a twin's readings belong to: the twin itself, or the patient whose sensor or pump it is.</summary>
    private static string? PatientOf(FollowerContext context, TwinDocument twin)
    {
        if (context.IsOfModel(twin, PatientTwin.ModelId))
        {
            return twin.Id;
        }
        var relationship = context.IsOfModel(twin, PatientTwin.SensorModelId) ? PatientTwin.SensorRelationship
            : context.IsOfModel(twin, PatientTwin.PumpModelId) ? PatientTwin.PumpRelationship : null;
        foreach (var incoming in context.Graph.Incoming(twin.Id))
        {
            if (incoming.Name == relationship && context.Graph.TryGetTwin(incoming.SourceId, out var patient) && context.IsOfModel(patient, PatientTwin.ModelId))
            {
                return patient.Id;
            }
        }
        return null;
    }

    private async Task HandleAsync(FollowerContext context, string patientId, IReadOnlyList<HistoryPoint> points, CancellationToken ct)
    {
        if (!_patients.TryGetValue(patientId, out var estimator))
        {
            estimator = Create(context, patientId);
            _patients[patientId] = estimator;
        }
        if (estimator is null)
        {
            return;
        }
        foreach (var point in points)
        {
            if (point.Number is not { } value)
            {
                continue;
            }
            switch (point.Name)
            {
                case PatientTwin.Carbs when value > 0:
                    estimator.AddMeal(point.Time, value);
                    break;
                case PatientTwin.Basal when value >= 0:
                    estimator.AddBasal(point.Time, value);
                    break;
                case PatientTwin.Bolus when value > 0:
                    estimator.AddBolus(point.Time, value);
                    break;
                case PatientTwin.Glucose:
                    await ObserveAsync(context, patientId, estimator, point.Time, value, ct);
                    break;
            }
        }
    }

    private GlucoseEstimator? Create(FollowerContext context, string patientId)
    {
        if (!context.Graph.TryGetTwin(patientId, out var twin) || !twin.TryGetProperty(PatientTwin.Profile, out var profile) || profile.ValueKind != JsonValueKind.String)
        {
            context.Log.PatientNotFollowed(patientId, $"it has no '{PatientTwin.Profile}' naming its UVA/Padova parameters (a simglucose virtual patient such as adult#001)");
            return null;
        }
        var found = PatientParameters.Find(profile.GetString()!);
        if (!found.IsSuccess)
        {
            context.Log.PatientNotFollowed(patientId, found.Error!.Message);
            return null;
        }
        return new GlucoseEstimator(found.Value!, _options);
    }

    private async Task ObserveAsync(FollowerContext context, string patientId, GlucoseEstimator estimator, DateTimeOffset time, double cgm, CancellationToken ct)
    {
        if (!(cgm >= PatientTwin.MinReading && cgm <= PatientTwin.MaxReading))
        {
            context.Log.ReadingOutOfRange(patientId, cgm, PatientTwin.MinReading, PatientTwin.MaxReading);
            return;
        }
        if (!estimator.Observe(time, cgm))
        {
            return;
        }
        var forecast = estimator.Forecast(Seed(patientId, time));
        var values = forecast.ToProperties();
        values[PatientEstimate.Property] = estimator.Snapshot().ToJson();
        var written = await context.ReportPropertiesAsync(patientId, values, time, ct);
        if (!written.IsSuccess)
        {
            context.Log.EstimateNotWritten(patientId, written.Error!.Message);
            return;
        }
        if (!context.Graph.TryGetTwin(patientId, out var patient))
        {
            return;
        }
        if (forecast.HypoRisk >= _options.AlertRisk)
        {
            var in30 = forecast.At(30);
            var message = string.Create(CultureInfo.InvariantCulture,
                $"Predicted hypoglycaemia for {patientId}: glucose {forecast.Glucose:F0} mg/dL now, {in30.Median:F0} ({in30.Lower:F0}–{in30.Upper:F0}) in 30 minutes; {forecast.HypoRisk:P0} risk of falling below {_options.HypoThreshold:F0} within {_options.HypoHorizon:F0} minutes.");
            context.RaiseAlert(PatientTwin.HypoAlert, patient, AlertSeverity.Major, message, new JsonObject
            {
                ["time"] = time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["cgm"] = cgm,
                ["glucose"] = Math.Round(forecast.Glucose, 1),
                ["glucoseForecast30"] = Math.Round(in30.Median, 1),
                ["hypoRisk"] = Math.Round(forecast.HypoRisk, 3),
            });
        }
        else if (forecast.HypoRisk < _options.ClearRisk && context.HasAlert(PatientTwin.HypoAlert, patientId))
        {
            context.ResolveAlert(PatientTwin.HypoAlert, patientId, string.Create(CultureInfo.InvariantCulture,
                $"the risk of glucose below {_options.HypoThreshold:F0} within {_options.HypoHorizon:F0} minutes fell to {forecast.HypoRisk:P0} (glucose {forecast.Glucose:F0} mg/dL at {time:u})"));
        }
    }

    /// <summary>A forecast's seed: the same patient and reading give the same forecast.</summary>
    private static ulong Seed(string patientId, DateTimeOffset time)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in patientId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash ^ (ulong)time.UtcTicks;
    }
}
