using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Patients;

/// <summary>
/// Scores the patient twin's estimator on a simulated patient it has not seen: the virtual patient device plays days
/// of random meals with basal-bolus therapy, the estimator follows its CGM with the insulin and meals reported, and
/// each forecast is compared with the true glucose 30 and 60 minutes later; the predicted-hypoglycaemia alert is
/// replayed with its raise and clear thresholds.
/// </summary>
public static class ForecastEvaluation
{
    /// <summary>Runs <paramref name="days"/> days of the patient with random meals (seeded) and a seeded sensor.</summary>
    public static ForecastScore Run(PatientParameters patient, string sensor, uint seed, double days, GlucoseEstimatorOptions? options = null, IReadOnlyList<(TimeSpan After, double Units)>? doses = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var cgm = CgmSensor.Create(sensor, seed);
        var pump = InsulinPump.Create("Insulet");
        if (!cgm.IsSuccess || !pump.IsSuccess)
        {
            throw new ArgumentException((cgm.Error ?? pump.Error)!.Message, nameof(sensor));
        }
        var device = new VirtualPatientDevice(patient, cgm.Value!, pump.Value!, new RandomMealScenario(start.UtcDateTime, seed), start) { Doses = doses ?? [] };
        var estimator = new GlucoseEstimator(patient, options);
        estimator.Observe(start, device.FirstReading);
        var steps = (int)(days * 24 * 60 / VirtualPatientDevice.SampleMinutes);
        var truth = new List<double>(steps);
        var readings = new List<double>(steps);
        var forecasts = new List<GlucoseForecast>(steps);
        for (var i = 0; i < steps; i++)
        {
            var step = device.Next();
            estimator.AddBasal(step.Time, step.Basal);
            if (step.Bolus > 0)
            {
                estimator.AddBolus(step.Time, step.Bolus);
            }
            foreach (var (time, grams) in step.Meals)
            {
                estimator.AddMeal(time, grams);
            }
            estimator.Observe(step.ReadingTime, step.Cgm);
            forecasts.Add(estimator.Forecast((ulong)i + 1));
            truth.Add(step.Glucose);
            readings.Add(step.Cgm);
        }
        return Score(patient.Name, estimator.Options, truth, readings, forecasts);
    }

    private static ForecastScore Score(string name, GlucoseEstimatorOptions options, List<double> truth, List<double> readings, List<GlucoseForecast> forecasts)
    {
        const int warmup = 12; // the first hour: the estimate settles
        int n30 = 0, n60 = 0, in30 = 0, in60 = 0, nNow = 0;
        double e30 = 0, e60 = 0, naive30 = 0, naive60 = 0, eNow = 0, eReading = 0;
        for (var i = warmup; i < forecasts.Count; i++)
        {
            eNow += Math.Abs(forecasts[i].Glucose - truth[i]);
            eReading += Math.Abs(readings[i] - truth[i]);
            nNow++;
            if (i + 6 < truth.Count)
            {
                var f = forecasts[i].At(30);
                e30 += Math.Abs(f.Median - truth[i + 6]);
                naive30 += Math.Abs(readings[i] - truth[i + 6]);
                in30 += truth[i + 6] >= f.Lower && truth[i + 6] <= f.Upper ? 1 : 0;
                n30++;
            }
            if (i + 12 < truth.Count)
            {
                var f = forecasts[i].At(60);
                e60 += Math.Abs(f.Median - truth[i + 12]);
                naive60 += Math.Abs(readings[i] - truth[i + 12]);
                in60 += truth[i + 12] >= f.Lower && truth[i + 12] <= f.Upper ? 1 : 0;
                n60++;
            }
        }
        // The alert as the twin runs it: raised at the alert risk, resolved below the clear risk.
        int lows = 0, warned = 0, falseAlerts = 0;
        double lead = 0;
        int? raisedAt = null;
        var openAlerts = new List<(int Raised, int? Cleared)>();
        for (var i = warmup; i < forecasts.Count; i++)
        {
            if (raisedAt is null && forecasts[i].HypoRisk >= options.AlertRisk)
            {
                raisedAt = i;
                openAlerts.Add((i, null));
            }
            else if (raisedAt is not null && forecasts[i].HypoRisk < options.ClearRisk)
            {
                openAlerts[^1] = (raisedAt.Value, i);
                raisedAt = null;
            }
            if (truth[i] < options.HypoThreshold && truth[i - 1] >= options.HypoThreshold)
            {
                lows++;
                var warning = openAlerts.LastOrDefault(a => a.Raised < i && (a.Cleared is null || a.Cleared >= i));
                if (openAlerts.Count > 0 && warning != default)
                {
                    warned++;
                    lead += (i - warning.Raised) * VirtualPatientDevice.SampleMinutes;
                }
            }
        }
        foreach (var (raised, cleared) in openAlerts)
        {
            var until = Math.Min((cleared ?? forecasts.Count - 1) + 12, truth.Count - 1);
            var fell = false;
            for (var i = raised; i <= until; i++)
            {
                fell |= truth[i] < options.HypoThreshold;
            }
            falseAlerts += fell ? 0 : 1;
        }
        return new ForecastScore(name, n60, e30 / n30, e60 / n60, (double)in30 / n30, (double)in60 / n60, naive30 / n30, naive60 / n60, eNow / nNow, eReading / nNow,
            lows, warned, warned > 0 ? lead / warned : double.NaN, falseAlerts);
    }
}
