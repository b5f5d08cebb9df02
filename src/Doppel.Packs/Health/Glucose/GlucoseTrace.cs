using System.Globalization;
using Doppel.Packs.Health.Glucose.Internal;

namespace Doppel.Packs.Health.Glucose;

/// <summary>A simulation's history: one row per sensor step, as simglucose's.</summary>
/// <param name="Patient">The patient's name.</param>
/// <param name="Rows">The rows, in time order.</param>
public sealed record GlucoseTrace(string Patient, IReadOnlyList<GlucoseRow> Rows)
{
    /// <summary>The BG column.</summary>
    public IReadOnlyList<double> Bg => Rows.Select(r => r.Bg).ToArray();

    /// <summary>The CGM column.</summary>
    public IReadOnlyList<double> Cgm => Rows.Select(r => r.Cgm).ToArray();

    /// <summary>Reads simglucose's CSV (what <see cref="WriteCsv"/> writes, or simglucose's <c>save_results</c>); an error names the line that cannot be read.</summary>
    public static Result<GlucoseTrace> ReadCsv(TextReader reader, string patient)
    {
        ArgumentNullException.ThrowIfNull(reader);
        const string header = "Time,BG,CGM,CHO,insulin,LBGI,HBGI,Risk";
        if (reader.ReadLine()?.TrimEnd() is not header and var first)
        {
            return new DoppelError("invalid-trace", $"line 1: expected the header '{header}', found '{first}'.");
        }
        var rows = new List<GlucoseRow>();
        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            var cells = line.Split(',');
            if (cells.Length != 8
                || !DateTime.TryParseExact(cells[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                || !TryNumber(cells[1], out var bg) || !TryNumber(cells[2], out var cgm)
                || !TryOptional(cells[3], out var cho) || !TryOptional(cells[4], out var insulin)
                || !TryNumber(cells[5], out var lbgi) || !TryNumber(cells[6], out var hbgi) || !TryNumber(cells[7], out var risk))
            {
                return new DoppelError("invalid-trace", $"line {number}: expected a time (yyyy-MM-dd HH:mm:ss) and 7 numbers (CHO and insulin may be empty), found '{line}'.");
            }
            rows.Add(new GlucoseRow(time, bg, cgm, cho, insulin, lbgi, hbgi, risk));
        }
        return Result<GlucoseTrace>.Ok(new GlucoseTrace(patient, rows));
    }

    private static bool TryNumber(string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryOptional(string text, out double? value)
    {
        value = null;
        if (text.Length == 0)
        {
            return true;
        }
        if (TryNumber(text, out var number))
        {
            value = number;
            return true;
        }
        return false;
    }

    /// <summary>Writes simglucose's CSV (<c>Time,BG,CGM,CHO,insulin,LBGI,HBGI,Risk</c>, floats as Python prints them, the last row's CHO and insulin empty).</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("Time,BG,CGM,CHO,insulin,LBGI,HBGI,Risk\n");
        foreach (var row in Rows)
        {
            writer.Write(row.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            foreach (var value in (ReadOnlySpan<double?>)[row.Bg, row.Cgm, row.Cho, row.Insulin, row.Lbgi, row.Hbgi, row.Risk])
            {
                writer.Write(',');
                writer.Write(value is { } v ? PythonFloat.Format(v) : "");
            }
            writer.Write('\n');
        }
    }
}
