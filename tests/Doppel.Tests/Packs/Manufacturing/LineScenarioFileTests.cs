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
        Assert.Equal((20000.0, 1000.0, 10, 7UL), (file.Run.Duration, file.Run.Warmup, file.Run.Replications, file.Run.Seed));
    }

    [Theory]
    [InlineData("line:\n  stations:\n    - { name: a, cycleTime: normal(1, 2) }\n  buffers: []", "quote it")]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: exp(-1)\n  buffers: []", "line 4, line.stations[0].cycleTime: 'exp(-1)': the mean must be positive")]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: const(1)\n  buffers: [1]", "1 stations has 0 buffers")]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: const(1)\n  buffers: []\nwhatIf:\n  x:\n    stations:\n      zz: { cycleTime: const(2) }", "no station 'zz'")]
    [InlineData("run: {}", "'line' (stations and buffers) is required")]
    [InlineData(Line + "optimize:\n  maintenance: { station: a, time: const(1), interval: { min: 50, max: 20 } }", "line 7, optimize.maintenance.interval: needs 'min' and 'max' with 0 < min < max")]
    [InlineData(Line + "optimize:\n  maintenance: { station: a, time: const(1), intervals: [10], interval: { min: 5, max: 20 } }", "not both")]
    [InlineData(Line + "optimize:\n  maintenance: { station: a, time: const(1) }", "or 'interval: { min, max }'")]
    public void A_malformed_file_is_refused_with_where_and_why(string yaml, string expected)
    {
        var parsed = LineScenarioFile.Parse(yaml);

        Assert.False(parsed.IsSuccess);
        Assert.Contains(expected, parsed.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: const(1)\n      timeToFailur: exp(10)\n  buffers: []", "line 5, line.stations[0]: unknown key 'timeToFailur'; did you mean 'timeToFailure'?")]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: const(1)\n  bufers: []", "line 5, line: unknown key 'bufers'; did you mean 'buffers'?")]
    [InlineData(Line + "rn: { replications: 3 }", "line 6: unknown key 'rn'; did you mean 'run'?")]
    [InlineData(Line + "run: { replication: 3 }", "line 6, run: unknown key 'replication'; did you mean 'replications'?")]
    [InlineData(Line + "whatIf:\n  x:\n    bufers: []", "line 8, whatIf.x: unknown key 'bufers'; did you mean 'buffers'?")]
    [InlineData(Line + "whatIf:\n  x:\n    stations:\n      a: { cycleTme: const(2) }", "line 9, whatIf.x.stations.a: unknown key 'cycleTme'; did you mean 'cycleTime'?")]
    [InlineData(Line + "whatIf:\n  x:\n    stations:\n      b: { cycleTime: const(2) }", "line 9, whatIf.x.stations.b: the baseline has no station 'b'; did you mean 'a'?")]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: const(1)\n      thermal: { ambient: 20, rise: 60, timeConstant: 30, tripAt: 70, resumAt: 50 }\n  buffers: []", "line 5, line.stations[0].thermal: unknown key 'resumAt'; did you mean 'resumeAt'?")]
    [InlineData("line:\n  stations:\n    - name: a\n      cycleTime: const(1)\n  buffers: []\n  shifts: { period: 24, shift: [[0, 8]] }", "line 6, line.shifts: unknown key 'shift'; did you mean 'shifts'?")]
    [InlineData(Line + "optimize:\n  buffers: { budget: 3, mn: 1 }", "line 7, optimize.buffers: unknown key 'mn'; did you mean 'min'?")]
    [InlineData(Line + "optimize:\n  generation: 3", "line 7, optimize: unknown key 'generation'; did you mean 'generations'?")]
    [InlineData(Line + "optimize:\n  maintenance: { station: a, time: const(1), intervalls: [10] }", "line 7, optimize.maintenance: unknown key 'intervalls'; did you mean 'intervals'?")]
    [InlineData(Line + "optimize:\n  maintenance: { station: a, time: const(1), interval: { min: 5, mas: 9 } }", "line 7, optimize.maintenance.interval: unknown key 'mas'; did you mean 'max'?")]
    [InlineData(Line + "colour: red", "line 6: unknown key 'colour'; expected one of 'kind', 'name', 'run', 'line', 'whatIf', 'optimize'.")]
    [InlineData("{\"line\": {\"stations\": [{\"name\": \"a\", \"cycleTime\": \"const(1)\",\n  \"timeToFailur\": \"exp(1)\"}], \"buffers\": []}}", "line 2, line.stations[0]: unknown key 'timeToFailur'; did you mean 'timeToFailure'?")]
    public void A_misspelled_key_is_refused_at_every_level_with_its_line_path_and_the_key_it_resembles(string document, string expected)
    {
        var parsed = LineScenarioFile.Parse(document);

        Assert.False(parsed.IsSuccess);
        Assert.Equal(expected, parsed.Error!.Message);
    }

    [Fact]
    public void The_same_file_in_JSON_and_YAML_reads_the_same()
    {
        const string json = """
            {"line": {"stations": [{"name": "a", "cycleTime": "const(1)"}, {"name": "b", "cycleTime": "exp(1.5)", "timeToFailure": "exp(50)", "timeToRepair": "exp(5)"}], "buffers": [2]},
             "run": {"duration": 20000, "warmup": 1000, "replications": 10, "seed": 7},
             "whatIf": {"faster-b": {"stations": {"b": {"cycleTime": "exp(1.0)"}}}, "more-room": {"buffers": [6]}}}
            """;

        var fromJson = LineScenarioFile.Parse(json).Value!;
        var fromYaml = LineScenarioFile.Parse(File).Value!;

        Assert.Equal(fromYaml.Run, fromJson.Run);
        Assert.Equal(fromYaml.WhatIf.Keys, fromJson.WhatIf.Keys);
        Assert.Equal(fromYaml.WhatIf["faster-b"].Stations[1].CycleTime.ToString(), fromJson.WhatIf["faster-b"].Stations[1].CycleTime.ToString());
        Assert.Equal(fromYaml.WhatIf["more-room"].Buffers, fromJson.WhatIf["more-room"].Buffers);
    }

    [Theory]
    [InlineData("replications: 1", "line 6, run: replications must be at least 2 (a confidence interval needs two), got 1.")]
    [InlineData("replications: 0", "line 6, run: replications must be at least 2 (a confidence interval needs two), got 0.")]
    [InlineData("duration: 100, warmup: 100", "line 6, run: warmup must be 0 or more and less than the duration (100), got 100.")]
    [InlineData("duration: .inf", "line 6, run.duration: '.inf' is not a number")]
    [InlineData("seed: -1", "line 6, run.seed: '-1' is not a whole number from 0 to 18446744073709551615")]
    public void A_run_that_cannot_give_an_interval_is_refused(string run, string expected)
    {
        var parsed = LineScenarioFile.Parse(Line + "run: { " + run + " }");

        Assert.False(parsed.IsSuccess);
        Assert.Equal(expected, parsed.Error!.Message);
    }

    [Fact]
    public void A_file_without_a_run_takes_the_line_kinds_defaults_the_same_as_a_fork()
    {
        var file = LineScenarioFile.Parse(Line).Value!;

        Assert.Equal(LineScenarioFile.RunDefaults, file.Run);
        Assert.Equal(new LineScenarioKind().RunDefaults, file.Run);
        Assert.Equal((20_000.0, 1_000.0, 10, 1UL), (file.Run.Duration, file.Run.Warmup, file.Run.Replications, file.Run.Seed));
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
