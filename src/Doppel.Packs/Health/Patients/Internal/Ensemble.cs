using Doppel.Simulation;

namespace Doppel.Packs.Health.Patients.Internal;

/// <summary>Glucose trajectories of an ensemble of patient states run forward with the same inputs, and their quantiles.</summary>
internal static class Ensemble
{
    /// <summary>
    /// Blood glucose of each member every <paramref name="step"/> minutes from <paramref name="start"/> (minutes) to the
    /// horizon, the first column now; each step adds the model's random walk (<paramref name="noise"/> per √minute, scaled).
    /// </summary>
    public static double[][] Run(PatientDynamics dynamics, IReadOnlyList<double[]> members, EatingState eating, double start, InputSchedule inputs, double horizon, double step, double noise, ulong seed)
    {
        var steps = (int)Math.Round(horizon / step);
        var random = new SimRandom(seed);
        var sd = noise * Math.Sqrt(step);
        var glucose = new double[members.Count][];
        var next = new double[members[0].Length];
        for (var m = 0; m < members.Count; m++)
        {
            var z = (double[])members[m].Clone();
            var own = eating;
            var row = new double[steps + 1];
            row[0] = dynamics.Glucose(z);
            for (var s = 1; s <= steps; s++)
            {
                own = dynamics.Advance(start + (s - 1) * step, step, z, next, own, inputs);
                for (var i = 0; i < z.Length; i++)
                {
                    var value = next[i] + (sd > 0 ? random.Normal(0, sd) : 0);
                    // Amounts cannot be negative; insulin action (6) is a difference from the basal level and can.
                    z[i] = i == 6 ? value : Math.Max(value, 0);
                }
                row[s] = dynamics.Glucose(z);
            }
            glucose[m] = row;
        }
        return glucose;
    }

    /// <summary>The median and the central interval of the members' glucose at each step.</summary>
    public static List<ForecastPoint> Band(double[][] glucose, double step, double coverage)
    {
        var points = new List<ForecastPoint>();
        var column = new double[glucose.Length];
        for (var s = 0; s < glucose[0].Length; s++)
        {
            for (var m = 0; m < glucose.Length; m++)
            {
                column[m] = glucose[m][s];
            }
            Array.Sort(column);
            points.Add(new ForecastPoint(s * step, Quantile(column, 0.5), Quantile(column, (1 - coverage) / 2), Quantile(column, (1 + coverage) / 2)));
        }
        return points;
    }

    /// <summary>The share of members below <paramref name="threshold"/> at some step up to <paramref name="within"/> minutes.</summary>
    public static double ShareBelow(double[][] glucose, double step, double threshold, double within)
    {
        var last = (int)Math.Floor(within / step + 1e-9);
        var below = 0;
        foreach (var row in glucose)
        {
            for (var s = 0; s <= Math.Min(last, row.Length - 1); s++)
            {
                if (row[s] < threshold)
                {
                    below++;
                    break;
                }
            }
        }
        return (double)below / glucose.Length;
    }

    /// <summary>The q-quantile of sorted values, interpolated linearly (numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
