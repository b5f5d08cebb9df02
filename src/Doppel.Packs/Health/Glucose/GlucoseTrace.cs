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
