using System.Globalization;

namespace Doppel.Packs.Health.Glucose.Internal;

/// <summary>simglucose's parameter files, embedded in the pack and read once.</summary>
internal static class SimglucoseData
{
    private static readonly Lazy<IReadOnlyList<PatientParameters>> LazyPatients = new(LoadPatients);
    private static readonly Lazy<IReadOnlyList<SensorParameters>> LazySensors = new(LoadSensors);
    private static readonly Lazy<IReadOnlyList<PumpParameters>> LazyPumps = new(LoadPumps);

    public static IReadOnlyList<PatientParameters> Patients => LazyPatients.Value;

    public static IReadOnlyList<SensorParameters> Sensors => LazySensors.Value;

    public static IReadOnlyList<PumpParameters> Pumps => LazyPumps.Value;

    private static IReadOnlyList<PatientParameters> LoadPatients()
    {
        var quest = ReadTable("Quest.csv").ToDictionary(r => r.Name, StringComparer.Ordinal);
        return ReadTable("vpatient_params.csv").Select(r =>
        {
            var q = quest[r.Name];
            return new PatientParameters
            {
                Name = r.Name,
                InitialState = Enumerable.Range(1, 13).Select(i => r[i < 10 ? $"x0_ {i}" : $"x0_{i}"]).ToArray(),
                BW = r["BW"],
                EGPb = r["EGPb"],
                Gb = r["Gb"],
                Ib = r["Ib"],
                Kabs = r["kabs"],
                Kmax = r["kmax"],
                Kmin = r["kmin"],
                B = r["b"],
                D = r["d"],
                Vg = r["Vg"],
                Vi = r["Vi"],
                Ipb = r["Ipb"],
                Vmx = r["Vmx"],
                Km0 = r["Km0"],
                K2 = r["k2"],
                K1 = r["k1"],
                P2u = r["p2u"],
                M1 = r["m1"],
                M5 = r["m5"],
                CL = r["CL"],
                HEb = r["HEb"],
                M2 = r["m2"],
                M4 = r["m4"],
                M30 = r["m30"],
                Ilb = r["Ilb"],
                Ki = r["ki"],
                Kp2 = r["kp2"],
                Kp3 = r["kp3"],
                F = r["f"],
                Gpb = r["Gpb"],
                Ke1 = r["ke1"],
                Ke2 = r["ke2"],
                Fsnc = r["Fsnc"],
                Gtb = r["Gtb"],
                Vm0 = r["Vm0"],
                Rdb = r["Rdb"],
                PCRb = r["PCRb"],
                Kd = r["kd"],
                Ksc = r["ksc"],
                Ka1 = r["ka1"],
                Ka2 = r["ka2"],
                Dosekempt = r["dosekempt"],
                U2ss = r["u2ss"],
                Isc1ss = r["isc1ss"],
                Isc2ss = r["isc2ss"],
                Kp1 = r["kp1"],
                PatientHistory = r["patient_history"],
                CarbRatio = q["CR"],
                CorrectionFactor = q["CF"],
                Age = q["Age"],
                TotalDailyInsulin = q["TDI"],
            };
        }).ToArray();
    }

    private static IReadOnlyList<SensorParameters> LoadSensors() =>
        ReadTable("sensor_params.csv").Select(r => new SensorParameters(r.Name, r["PACF"], r["gamma"], r["lambda"], r["delta"], r["xi"], r["sample_time"], r["min"], r["max"])).ToArray();

    private static IReadOnlyList<PumpParameters> LoadPumps() =>
        ReadTable("pump_params.csv").Select(r => new PumpParameters(r.Name, r["min_bolus"], r["max_bolus"], r["inc_bolus"], r["min_basal"], r["max_basal"], r["inc_basal"], r["sample_time"])).ToArray();

    private static List<Row> ReadTable(string file)
    {
        var resource = $"Doppel.Packs.Health.Glucose.{file}";
        using var stream = typeof(SimglucoseData).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The pack lacks its embedded resource {resource}.");
        using var reader = new StreamReader(stream);
        var header = (reader.ReadLine() ?? "").Split(',');
        var columns = header.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);
        var rows = new List<Row>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                rows.Add(new Row(columns, line.Split(',')));
            }
        }
        return rows;
    }

    private sealed class Row(Dictionary<string, int> columns, string[] cells)
    {
        public string Name => cells[0];

        public double this[string column] => double.Parse(cells[columns[column]], NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}

/// <summary>A CGM sensor's row of sensor_params.csv.</summary>
internal sealed record SensorParameters(string Name, double Pacf, double Gamma, double Lambda, double Delta, double Xi, double SampleTime, double Min, double Max);

/// <summary>An insulin pump's row of pump_params.csv (amounts in pmol).</summary>
internal sealed record PumpParameters(string Name, double MinBolus, double MaxBolus, double IncBolus, double MinBasal, double MaxBasal, double IncBasal, double SampleTime);
