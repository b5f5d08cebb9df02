using Doppel.Rules.Internal;

namespace Doppel.Tests.Rules;

/// <summary>A window's running aggregates against a plain pass over the same points.</summary>
public sealed class SeriesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Running_aggregates_equal_a_pass_over_the_points_in_the_window(int seed)
    {
        var random = new Random(seed);
        var window = TimeSpan.FromSeconds(30);
        var series = new Series(window);
        var points = new List<(DateTimeOffset Time, double Value)>();
        var now = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        RuleFunctionKind[] kinds = [RuleFunctionKind.Avg, RuleFunctionKind.Min, RuleFunctionKind.Max, RuleFunctionKind.Sum, RuleFunctionKind.Count, RuleFunctionKind.Rate];
        for (var i = 0; i < 2_000; i++)
        {
            now += TimeSpan.FromMilliseconds(random.Next(0, 3_000));
            // Now and then a late point, up to 5 s old.
            var time = random.Next(10) == 0 ? now - TimeSpan.FromMilliseconds(random.Next(0, 5_000)) : now;
            var value = Math.Round(random.NextDouble() * 100, 2);
            series.Add(time, value);
            points.Add((time, value));
            var inWindow = points.Where(p => p.Time > now - window).OrderBy(p => p.Time).ToList();
            foreach (var kind in kinds)
            {
                var function = new RuleFunction(kind, "x", window, TimeSpan.FromSeconds(1), "__f0");
                double? expected = kind switch
                {
                    RuleFunctionKind.Count => inWindow.Count,
                    _ when inWindow.Count == 0 => null,
                    RuleFunctionKind.Avg => inWindow.Average(p => p.Value),
                    RuleFunctionKind.Min => inWindow.Min(p => p.Value),
                    RuleFunctionKind.Max => inWindow.Max(p => p.Value),
                    RuleFunctionKind.Sum => inWindow.Sum(p => p.Value),
                    _ => inWindow[^1].Time > inWindow[0].Time ? (inWindow[^1].Value - inWindow[0].Value) / (inWindow[^1].Time - inWindow[0].Time).TotalSeconds : null,
                };
                var actual = series.Compute(function, now);
                Assert.True(expected is null ? actual is null : actual is { } a && Math.Abs(a - expected.Value) < 1e-6, $"{kind} at point {i}: expected {expected}, got {actual}");
            }
        }
    }
}
