using System.Globalization;
using Doppel.Packs.Health.Glucose;

namespace Doppel.Tests.Packs.Health.Glucose;

/// <summary>simglucose's CSV output read back: the reference run shipped under Data/simglucose, or the peer's files.</summary>
internal static class ReferenceRun
{
    public static string ReferencePath => Path.Combine(AppContext.BaseDirectory, "Data", "simglucose", "sim_results.csv");

    public static IReadOnlyList<GlucoseRow> Read(string path)
    {
        var rows = new List<GlucoseRow>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }
            var cells = line.Split(',');
            rows.Add(new GlucoseRow(
                DateTime.ParseExact(cells[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Number(cells[1]), Number(cells[2]),
                cells[3].Length == 0 ? null : Number(cells[3]),
                cells[4].Length == 0 ? null : Number(cells[4]),
                Number(cells[5]), Number(cells[6]), Number(cells[7])));
        }
        return rows;
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
