namespace Doppel.Analytics.Rul.Internal;

/// <summary>
/// Turns a unit's raw rows into the models' input: the window of the last <see cref="Window"/> rows, each sensor
/// standardised within the operating regime of its row (regimes: k-means clusters of the settings), and the cycle.
/// </summary>
internal sealed class Preprocessor
{
    /// <summary>Below this mean silhouette the settings show no clusters, and one regime is kept.</summary>
    private const double RegimeSilhouette = 0.6;

    /// <summary>A sensor whose most frequent value fills this share of its regime's rows carries no degradation signal.</summary>
    private const double NearConstantShare = 0.9;

    public required string[] Channels { get; init; }
    public required int Window { get; init; }
    public required int CycleIndex { get; init; }
    public required int[] SettingIndexes { get; init; }
    public required int[] SensorIndexes { get; init; }
    public required double[] SettingMean { get; init; }
    public required double[] SettingScale { get; init; }
    public required double[][] Centroids { get; init; }
    public required double[][] SensorMean { get; init; }
    public required double[][] SensorScale { get; init; }
    public required string[] Dropped { get; init; }
    public required double CycleMean { get; init; }

    public int Sensors => SensorIndexes.Length;

    public IEnumerable<string> SensorNames => SensorIndexes.Select(i => Channels[i]);

    /// <summary>The rows of <paramref name="unit"/> reordered to <see cref="Channels"/>.</summary>
    public double[][] Project(Trajectory unit)
    {
        var map = new int[Channels.Length];
        for (var c = 0; c < Channels.Length; c++)
        {
            map[c] = IndexOf(unit.Channels, Channels[c]);
            if (map[c] < 0)
            {
                throw new ArgumentException($"unit {unit.Unit} has no channel '{Channels[c]}', which the predictor reads (it reads {string.Join(", ", Channels)})");
            }
        }
        var rows = new double[unit.Rows.Length][];
        for (var r = 0; r < rows.Length; r++)
        {
            var source = unit.Rows[r];
            var row = rows[r] = new double[Channels.Length];
            for (var c = 0; c < map.Length; c++)
            {
                row[c] = source[map[c]];
            }
        }
        return rows;
    }

    public int Regime(double[] row)
    {
        if (Centroids.Length == 1)
        {
            return 0;
        }
        Span<double> point = stackalloc double[SettingIndexes.Length];
        for (var s = 0; s < point.Length; s++)
        {
            point[s] = (row[SettingIndexes[s]] - SettingMean[s]) / SettingScale[s];
        }
        return KMeans.Nearest(Centroids, point).Index;
    }

    /// <summary>Standardised sensors (rows × Sensors) and the cycle of each row, for the rows of a unit.</summary>
    public (float[] Sensors, float[] Cycles) Normalize(IReadOnlyList<double[]> rows)
    {
        var sensors = Sensors;
        var values = new float[rows.Count * sensors];
        var cycles = new float[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Length != Channels.Length)
            {
                throw new ArgumentException($"row {r} has {row.Length} values, but the predictor reads {Channels.Length} channels ({string.Join(", ", Channels)})");
            }
            var regime = Regime(row);
            var mean = SensorMean[regime];
            var scale = SensorScale[regime];
            for (var s = 0; s < sensors; s++)
            {
                values[r * sensors + s] = (float)((row[SensorIndexes[s]] - mean[s]) / scale[s]);
            }
            cycles[r] = (float)(CycleIndex >= 0 ? row[CycleIndex] : r + 1);
        }
        return (values, cycles);
    }

    /// <summary>
    /// Copies the <see cref="Window"/> rows ending at <paramref name="end"/> out of a normalised unit, oldest first; a
    /// shorter history is padded by repeating its first row.
    /// </summary>
    public void Slice(float[] sensors, float[] cycles, int end, Span<float> window, Span<float> windowCycles)
    {
        var count = Sensors;
        for (var t = 0; t < Window; t++)
        {
            var index = Math.Max(0, end - Window + 1 + t);
            sensors.AsSpan(index * count, count).CopyTo(window.Slice(t * count, count));
            windowCycles[t] = cycles[index];
        }
    }

    /// <summary>The window ending at the last of <paramref name="rows"/>.</summary>
    public (float[] Window, float[] Cycles) Prepare(IReadOnlyList<double[]> rows)
    {
        if (rows.Count == 0)
        {
            throw new ArgumentException("a prediction needs at least one row");
        }
        var from = Math.Max(0, rows.Count - Window);
        var recent = from == 0 ? rows : rows.Skip(from).ToArray();
        var (sensors, cycles) = Normalize(recent);
        if (CycleIndex < 0)
        {
            for (var r = 0; r < cycles.Length; r++)
            {
                cycles[r] += from;
            }
        }
        var window = new float[Window * Sensors];
        var windowCycles = new float[Window];
        Slice(sensors, cycles, recent.Count - 1, window, windowCycles);
        return (window, windowCycles);
    }

    public static Preprocessor Fit(IReadOnlyList<Trajectory> units, RulTrainingOptions options, Random random)
    {
        var channels = units[0].Channels;
        foreach (var unit in units)
        {
            if (!unit.Channels.SequenceEqual(channels))
            {
                throw new ArgumentException($"unit {unit.Unit} has channels {string.Join(", ", unit.Channels)}, unit {units[0].Unit} has {string.Join(", ", channels)}: all units must have the same channels");
            }
            if (unit.Rows.Length == 0)
            {
                throw new ArgumentException($"unit {unit.Unit} has no rows");
            }
        }
        var settings = (options.Settings ?? []).ToArray();
        foreach (var name in settings.Concat(options.Sensors ?? []))
        {
            if (IndexOf(channels, name) < 0)
            {
                throw new ArgumentException($"the training data have no channel '{name}' (they have {string.Join(", ", channels)})");
            }
        }
        var candidates = options.Sensors?.ToArray()
            ?? channels.Where(c => c != "cycle" && !settings.Contains(c)).ToArray();
        var rows = units.SelectMany(u => u.Rows).ToList();

        // Regimes: k-means on the standardised settings, k chosen by silhouette on a sample.
        var settingIndexes = settings.Select(s => IndexOf(channels, s)).ToArray();
        var settingMean = new double[settings.Length];
        var settingScale = new double[settings.Length];
        for (var s = 0; s < settings.Length; s++)
        {
            (settingMean[s], settingScale[s]) = MeanAndScale(rows.Select(r => r[settingIndexes[s]]));
        }
        double[][] centroids = [new double[settings.Length]];
        if (settings.Length > 0)
        {
            var sample = Sample(rows, 4000, random).Select(r => settingIndexes.Select((c, s) => (r[c] - settingMean[s]) / settingScale[s]).ToArray()).ToList();
            var small = sample.Take(1200).ToList();
            var best = RegimeSilhouette;
            for (var k = 2; k <= 10; k++)
            {
                var candidate = KMeans.Fit(sample, k, random);
                var silhouette = KMeans.Silhouette(small, candidate);
                if (silhouette > best + 0.01)
                {
                    (best, centroids) = (silhouette, candidate);
                }
            }
        }

        var probe = new Preprocessor
        {
            Channels = [.. channels],
            Window = options.Window,
            CycleIndex = IndexOf(channels, "cycle"),
            SettingIndexes = settingIndexes,
            SensorIndexes = [],
            SettingMean = settingMean,
            SettingScale = settingScale,
            Centroids = centroids,
            SensorMean = [],
            SensorScale = [],
            Dropped = [],
            CycleMean = 0,
        };
        var regimes = rows.Select(probe.Regime).ToArray();

        // Per regime and sensor: mean, scale, and the share of the most frequent value.
        var kept = new List<string>();
        var dropped = new List<string>();
        var means = new List<double[]>();
        var scales = new List<double[]>();
        foreach (var sensor in candidates)
        {
            var index = IndexOf(channels, sensor);
            var mean = new double[centroids.Length];
            var scale = new double[centroids.Length];
            double modal = 0;
            for (var regime = 0; regime < centroids.Length; regime++)
            {
                var values = rows.Where((_, i) => regimes[i] == regime).Select(r => r[index]).ToList();
                if (values.Count == 0)
                {
                    scale[regime] = 1;
                    continue;
                }
                (mean[regime], scale[regime]) = MeanAndScale(values);
                modal += values.GroupBy(v => v).Max(g => g.Count());
            }
            if (options.Sensors is null && modal >= NearConstantShare * rows.Count)
            {
                dropped.Add(sensor);
                continue;
            }
            kept.Add(sensor);
            means.Add(mean);
            scales.Add(scale);
        }
        if (kept.Count == 0)
        {
            throw new ArgumentException($"every sensor is near-constant ({string.Join(", ", dropped)}): nothing to learn from");
        }

        // The predictor's inputs: the cycle (when there is one), the settings, the kept sensors.
        var inputs = new List<string>();
        if (probe.CycleIndex >= 0)
        {
            inputs.Add("cycle");
        }
        inputs.AddRange(settings);
        inputs.AddRange(kept);
        return new Preprocessor
        {
            Channels = [.. inputs],
            Window = options.Window,
            CycleIndex = probe.CycleIndex >= 0 ? 0 : -1,
            SettingIndexes = settings.Select(s => inputs.IndexOf(s)).ToArray(),
            SensorIndexes = kept.Select(s => inputs.IndexOf(s)).ToArray(),
            SettingMean = settingMean,
            SettingScale = settingScale,
            Centroids = centroids,
            SensorMean = Transpose(means, centroids.Length),
            SensorScale = Transpose(scales, centroids.Length),
            Dropped = [.. dropped],
            CycleMean = probe.CycleIndex >= 0 ? rows.Average(r => r[probe.CycleIndex]) : units.Average(u => u.Rows.Length) / 2,
        };
    }

    private static double[][] Transpose(List<double[]> perSensor, int regimes) =>
        Enumerable.Range(0, regimes).Select(r => perSensor.Select(s => s[r]).ToArray()).ToArray();

    private static (double Mean, double Scale) MeanAndScale(IEnumerable<double> values)
    {
        double sum = 0, squares = 0;
        var n = 0;
        foreach (var v in values)
        {
            sum += v;
            squares += v * v;
            n++;
        }
        var mean = sum / Math.Max(1, n);
        var sd = Math.Sqrt(Math.Max(0, squares / Math.Max(1, n) - mean * mean));
        return (mean, sd > 1e-12 ? sd : 1);
    }

    private static List<double[]> Sample(List<double[]> rows, int count, Random random)
    {
        if (rows.Count <= count)
        {
            var all = new List<double[]>(rows);
            Shuffle(all, random);
            return all;
        }
        var picked = new List<double[]>(count);
        for (var i = 0; i < count; i++)
        {
            picked.Add(rows[random.Next(rows.Count)]);
        }
        return picked;
    }

    public static void Shuffle<T>(IList<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static int IndexOf(IReadOnlyList<string> channels, string name)
    {
        for (var i = 0; i < channels.Count; i++)
        {
            if (channels[i] == name)
            {
                return i;
            }
        }
        return -1;
    }
}
