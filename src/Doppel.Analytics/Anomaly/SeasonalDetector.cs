using Doppel.Analytics.Anomaly.Internal;

namespace Doppel.Analytics.Anomaly;

/// <summary>
/// Seasonal baseline: a reading is compared with what is usual at this time of day (daily profile) and at this time of
/// the week (weekly profile): a moving level plus an exponentially weighted offset per time of day, and an
/// exponentially weighted mean per time of the week; of the two, the one that has predicted
/// better so far is used. The residual is scored in robust standard deviations of past residuals. A series without a
/// daily pattern degrades to a moving baseline (every slot learns the same level).
/// </summary>
public sealed class SeasonalDetector : IAnomalyDetector
{
    /// <summary>Time slots per day (at most; fewer when readings come less often).</summary>
    public const int SlotsPerDay = 96;

    /// <summary>How fast a slot's expectation follows its readings.</summary>
    public const double SlotAlpha = 0.25;

    /// <summary>Readings before the first score.</summary>
    public const int WarmUp = 64;

    private readonly Profile _daily = new(SlotsPerDay);
    private readonly Profile _weekly = new(SlotsPerDay * 7);
    private double _level;
    private double _dailyError;
    private double _weeklyError;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private long _count;

    public string Name => "seasonal";

    public AnomalyScore Next(DateTimeOffset time, double value)
    {
        var utc = time.UtcDateTime;
        var slot = (int)(utc.TimeOfDay.Ticks * SlotsPerDay / TimeSpan.TicksPerDay);
        var weekSlot = (int)utc.DayOfWeek * SlotsPerDay + slot;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        if (_count++ == 0)
        {
            _level = value;
        }
        var dailyOffset = _daily.Expected(slot, 0);
        var dailyExpected = _level + dailyOffset;
        var weeklyExpected = _weekly.Expected(weekSlot, dailyExpected);
        var useWeekly = _weekly.Seen(weekSlot) >= 2 && _weeklyError < _dailyError;
        var expected = useWeekly ? weeklyExpected : dailyExpected;
        var residual = value - expected;

        var floor = Math.Max(1e-9, Math.Max(1e-3 * Math.Abs(_level), 0.01 * (_max - _min)));
        // Each profile's mean absolute error (x 1.25 estimates sigma for normal residuals), its residuals clipped at 4
        // sigma so an anomaly does not inflate it; the better profile predicts, with its own spread.
        var dailySigma = Math.Max(1.25 * _dailyError, floor);
        var weeklySigma = Math.Max(1.25 * _weeklyError, floor);
        var sigma = useWeekly ? weeklySigma : dailySigma;
        var z = residual / sigma;
        var clipped = Math.Clamp(residual, -4 * sigma, 4 * sigma);
        var learn = Math.Max(0.01, 1.0 / _count);
        _dailyError += learn * (Math.Min(Math.Abs(value - dailyExpected), _count <= WarmUp ? double.MaxValue : 4 * dailySigma) - _dailyError);
        _weeklyError += learn * (Math.Min(Math.Abs(value - weeklyExpected), _count <= WarmUp ? double.MaxValue : 4 * weeklySigma) - _weeklyError);
        var learned = _count <= WarmUp ? value : expected + clipped;
        // The level follows every reading and the daily profile learns each slot's offset from it; the weekly profile,
        // seeing each slot once a week, learns the slot's own level.
        _level += Math.Max(0.02, 1.0 / _count) * (learned - _level);
        _daily.Learn(slot, learned - _level);
        // Each profile learns the reading clipped around its own expectation (a slot seen never before takes it whole).
        _weekly.Learn(weekSlot, _count <= WarmUp || _weekly.Seen(weekSlot) == 0 ? value : weeklyExpected + Math.Clamp(value - weeklyExpected, -4 * weeklySigma, 4 * weeklySigma));
        if (_count <= WarmUp)
        {
            return default;
        }
        var s = Scores.FromDeviations(z);
        return new AnomalyScore(s, s >= Scores.Explained
            ? $"{Scores.Format(Math.Abs(z))} sigmas {(z > 0 ? "above" : "below")} the usual {Scores.Format(expected)} for this time of {(useWeekly ? "the week" : "day")}"
            : null);
    }

    /// <summary>An exponentially weighted mean per slot, falling back to a given value while a slot is new.</summary>
    private sealed class Profile(int slots)
    {
        private readonly double[] _mean = new double[slots];
        private readonly int[] _seen = new int[slots];

        public int Seen(int slot) => _seen[slot];

        public double Expected(int slot, double fallback) => _seen[slot] == 0 ? fallback : _mean[slot];

        public void Learn(int slot, double value)
        {
            var n = ++_seen[slot];
            _mean[slot] += Math.Max(SlotAlpha, 1.0 / n) * (value - _mean[slot]);
        }
    }
}
