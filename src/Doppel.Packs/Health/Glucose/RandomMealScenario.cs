using Doppel.Packs.Health.Glucose.Internal;

namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// simglucose's <c>RandomScenario</c>: each day up to six meals (breakfast, lunch, dinner with probability 0.95, three
/// snacks with 0.3) at times drawn from truncated normals (scipy's <c>truncnorm.rvs</c>: the inverse CDF of a uniform)
/// and amounts from normals, all from numpy's <c>RandomState(seed)</c>. As simglucose, one day is drawn at the start and a
/// new one at each midnight the simulation reaches (so a start at midnight uses the second draw), and a day's meal
/// times are minutes after that day's midnight.
/// </summary>
public sealed class RandomMealScenario : IMealScenario
{
    private static readonly double[] Probability = [0.95, 0.3, 0.95, 0.3, 0.95, 0.3];
    private static readonly double[] TimeLow = [5 * 60, 9 * 60, 10 * 60, 14 * 60, 16 * 60, 20 * 60];
    private static readonly double[] TimeHigh = [9 * 60, 10 * 60, 14 * 60, 16 * 60, 20 * 60, 23 * 60];
    private static readonly double[] TimeMean = [7 * 60, 9.5 * 60, 12 * 60, 15 * 60, 18 * 60, 21.5 * 60];
    private static readonly double[] TimeSd = [60, 30, 60, 30, 60, 30];
    private static readonly double[] AmountMean = [45, 10, 70, 10, 80, 10];
    private static readonly double[] AmountSd = [10, 5, 10, 5, 10, 5];

    private readonly NumpyRandomState _random;
    private readonly List<IReadOnlyList<(double Minute, double Grams)>> _days = [];
    private readonly Lock _gate = new();

    /// <summary>A scenario starting at <paramref name="start"/> whose meals come from numpy's <c>RandomState(seed)</c>.</summary>
    public RandomMealScenario(DateTime start, uint seed)
    {
        Start = start;
        Seed = seed;
        _random = new NumpyRandomState(seed);
    }

    /// <summary>When the scenario starts.</summary>
    public DateTime Start { get; }

    /// <summary>numpy's seed.</summary>
    public uint Seed { get; }

    /// <inheritdoc/>
    public double CarbsAt(DateTime time)
    {
        if (time < Start)
        {
            return 0;
        }
        var meals = Day(DrawIndex(time));
        var minute = Math.Floor((time - time.Date).TotalSeconds / 60.0);
        foreach (var (mealMinute, grams) in meals)
        {
            if (mealMinute == minute)
            {
                return grams;
            }
        }
        return 0;
    }

    /// <summary>The meals of the day that <paramref name="time"/> falls in: minutes after its midnight and grams.</summary>
    public IReadOnlyList<(double Minute, double Grams)> MealsOn(DateTime time) => time < Start ? [] : Day(DrawIndex(time));

    /// <summary>Which draw a time uses: the first until the first midnight after the start, then one more per midnight.</summary>
    private int DrawIndex(DateTime time)
    {
        var midnights = (int)(time.Date - Start.Date).TotalDays;
        return Start.TimeOfDay == TimeSpan.Zero ? midnights + 1 : midnights;
    }

    private IReadOnlyList<(double Minute, double Grams)> Day(int index)
    {
        lock (_gate)
        {
            while (_days.Count <= index)
            {
                _days.Add(Draw());
            }
            return _days[index];
        }
    }

    private List<(double Minute, double Grams)> Draw()
    {
        var meals = new List<(double, double)>();
        for (var i = 0; i < Probability.Length; i++)
        {
            if (_random.NextDouble() < Probability[i])
            {
                var a = (TimeLow[i] - TimeMean[i]) / TimeSd[i];
                var b = (TimeHigh[i] - TimeMean[i]) / TimeSd[i];
                var z = TruncatedNormal.Quantile(_random.Uniform(0, 1), a, b);
                var minute = Math.Round(z * TimeSd[i] + TimeMean[i]);
                var grams = Math.Max(Math.Round(_random.Normal(AmountMean[i], AmountSd[i])), 0);
                meals.Add((minute, grams));
            }
        }
        return meals;
    }
}
