namespace Doppel.Packs.Mobility.Planning;

/// <summary>How a district cleared in one run: the clearance time (s after the order; NaN when some evacuee never arrived) and each arrival's time after the order, sorted.</summary>
public sealed record Clearance(double Time, IReadOnlyList<double> ArrivalTimes, int Evacuees)
{
    /// <summary>The share of evacuees that arrived.</summary>
    public double Evacuated => Evacuees == 0 ? 1 : (double)ArrivalTimes.Count / Evacuees;

    /// <summary>The time by which the share <paramref name="q"/> of the evacuees had arrived (NaN when fewer did).</summary>
    public double Quantile(double q)
    {
        var rank = (int)Math.Ceiling(q * Evacuees) - 1;
        return rank < 0 ? 0 : rank < ArrivalTimes.Count ? ArrivalTimes[rank] : double.NaN;
    }
}
