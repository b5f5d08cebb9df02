namespace Doppel.Packs.Health.Trials.Internal;

/// <summary>
/// Insulin on board from the insulin delivered above basal, with OpenAPS's exponential activity curve (oref0
/// <c>iob/calculate.js</c>): a unit given t minutes ago still acts with the fraction <see cref="Remaining"/>(t), peaking at
/// <c>peak</c> and gone after <c>duration</c> minutes.
/// </summary>
internal sealed class InsulinOnBoard(double peak, double duration)
{
    private readonly List<(double Time, double Units)> _doses = [];
    private readonly double _tau = peak * (1 - (peak / duration)) / (1 - (2 * peak / duration));

    /// <summary>Records <paramref name="units"/> (may be negative: a basal cut) delivered at <paramref name="time"/> minutes.</summary>
    public void Add(double time, double units)
    {
        if (units != 0)
        {
            _doses.Add((time, units));
        }
        _doses.RemoveAll(d => time - d.Time >= duration);
    }

    /// <summary>The units still to act at <paramref name="time"/>.</summary>
    public double At(double time)
    {
        var total = 0.0;
        foreach (var (t, units) in _doses)
        {
            total += units * Remaining(time - t);
        }
        return total;
    }

    public void Clear() => _doses.Clear();

    /// <summary>The share of a dose still on board <paramref name="t"/> minutes after it.</summary>
    public double Remaining(double t)
    {
        if (t <= 0)
        {
            return 1;
        }
        if (t >= duration)
        {
            return 0;
        }
        var a = 2 * _tau / duration;
        var s = 1 / (1 - a + ((1 + a) * Math.Exp(-duration / _tau)));
        return 1 - (s * (1 - a) * ((((t * t / (_tau * duration * (1 - a))) - (t / _tau) - 1) * Math.Exp(-t / _tau)) + 1));
    }
}
