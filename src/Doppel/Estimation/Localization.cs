namespace Doppel.Estimation;

/// <summary>
/// Localisation by distance: an observation influences a state component through the Gaspari–Cohn taper of their
/// distance, 1 at distance 0 and exactly 0 from 2 × <see cref="Radius"/> on (the LETKF's local domain, or the Schur
/// product on the stochastic EnKF's gain).
/// </summary>
public sealed record Localization(double Radius, Func<int, int, double> Distance)
{
    /// <summary>Points on a ring of <paramref name="stateSize"/> sites (Lorenz-96); observation j sits at <paramref name="observedSites"/>[j] (default: site j).</summary>
    public static Localization Periodic(int stateSize, double radius, IReadOnlyList<int>? observedSites = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stateSize, 1);
        var sites = observedSites?.ToArray();
        return new Localization(radius, (state, observation) =>
        {
            var site = sites is null ? observation : sites[observation];
            var d = Math.Abs(state - site) % stateSize;
            return Math.Min(d, stateSize - d);
        });
    }

    /// <summary>The Gaspari–Cohn (1999) fifth-order taper of <paramref name="distance"/> with half-width <see cref="Radius"/>.</summary>
    public double Taper(double distance)
    {
        var r = Math.Abs(distance) / Radius;
        if (r >= 2)
        {
            return 0;
        }
        if (r <= 1)
        {
            return (((((-0.25 * r) + 0.5) * r + 0.625) * r - (5.0 / 3)) * r * r) + 1;
        }
        return ((((((r / 12) - 0.5) * r + 0.625) * r + (5.0 / 3)) * r - 5) * r) + 4 - (2 / (3 * r));
    }
}
