using Doppel.Packs.Manufacturing;

namespace Doppel.Tests.Packs.Manufacturing;

/// <summary>Scenario files: what-ifs change only what they name; errors give the line and the reason; a run compares with confidence intervals.</summary>
public sealed class LineScenarioFileTests
{
    private const string File = """
        line:
          stations:
            - name: a
              cycleTime: const(1)
            - name: b
              cycleTime: exp(1.5)
              timeToFailure: exp(50)
              timeToRepair: exp(5)
          buffers: [2]
        run: { duration: 20000, warmup: 1000, replications: 10, seed: 7 }
        whatIf:
          faster-b:
            stations:
              b:
                cycleTime: exp(1.0)
          more-room:
            buffers: [6]
        """;

    private const string Line = "line:\n  stations:\n    - name: a\n      cycleTime: const(1)\n  buffers: []\n";

    [Fact]
    public void A_what_if_changes_only_what_it_names()
    {
        var file = LineScenarioFile.Parse(File).Value!;

        Assert.Equal(["faster-b", "more-room"], file.WhatIf.Keys);
        var faster = file.WhatIf["faster-b"];
        Assert.Equal("exp(1)", faster.Stations[1].CycleTime.ToString());
        Assert.Equal("exp(50)", faster.Stations[1].TimeToFailure!.ToString());
        Assert.Equal([2], faster.Buffers);
        Assert.Equal([6], file.WhatIf["more-room"].Buffers);
        Assert.Equal((20000.0, 1000.0, 10, 7UL), (file.Duration, file.Warmup, file.Replications, file.Seed));
    }

    [Theory]
    [InlineData("line:\n  stations:\n    - { name: a, cycleTime: normal(1, 2) }\n  buffers: []", "quote it")]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: exp(-1)\n  buffers: []", "line 4: cycleTime: 'exp(-1)': the mean must be positive")]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: const(1)\n  buffers: [1]", "1 stations has 0 buffers")]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: const(1)\n  buffers: []\nwhatIf:\n  x:\n    stations:\n      zz: { cycleTime: const(2) }", "no station 'zz'")]
    [InlineData("run: {}", "'line' (stations and buffers) is required")]
    [InlineData(Line + "optimize:\n  maintenance: { station: a, time: const(1), interval: { min: 50, max: 20 } }", "line 7: interval needs 'min' and 'max' with 0 < min < max")]
    [InlineData(Line + "optimize:\n  maintenance: { station: a, time: const(1), intervals: [10], interval: { min: 5, max: 20 } }", "not both")]
    [InlineData(Line + "optimize:\n  maintenance: { station: a, time: const(1) }", "or 'interval: { min, max }'")]
    public void A_malformed_file_is_refused_with_where_and_why(string yaml, string expected)
    {
        var parsed = LineScenarioFile.Parse(yaml);

        Assert.False(parsed.IsSuccess);
        Assert.Contains(expected, parsed.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Maintenance_is_chosen_among_listed_intervals_or_searched_within_a_range()
    {
        var list = LineScenarioFile.Parse(Line + "optimize:\n  maintenance: { station: a, time: const(1), intervals: [10, 20] }").Value!.Maintenance!;
        var range = LineScenarioFile.Parse(Line + "optimize:\n  replications: 3\n  maintenance: { station: a, time: const(1), interval: { min: 5, max: 80 } }").Value!.Maintenance!;

        Assert.Equal([10, 20], list.Intervals);
        Assert.Null(list.Range);
        Assert.Empty(range.Intervals);
        Assert.Equal(new IntervalRange(5, 80), range.Range);
        Assert.Equal(("a", "const(1)", 3, 20), (range.Station, range.Time.ToString(), range.Replications, range.Generations));
    }

    [Fact]
    public void Running_a_file_compares_each_what_if_with_the_baseline_identically_on_one_or_two_cores()
    {
        var file = LineScenarioFile.Parse(File).Value!;

        var two = LineExperiment.Run(file, maxDegreeOfParallelism: 2);
        var one = LineExperiment.Run(file, maxDegreeOfParallelism: 1);

        Assert.Equal(two["baseline"]["throughput"].Mean, one["baseline"]["throughput"].Mean);
        Assert.Equal("b", LineExperiment.Bottleneck(two["baseline"]));
        var faster = two.Compare(LineExperiment.Baseline, "faster-b", "throughput");
        Assert.True(faster.IsSignificant && faster.Difference > 0, $"speeding up the bottleneck: {faster.Difference} ± {faster.HalfWidth}");
    }
}
