using System.Text.Json.Nodes;
using Doppel.Cli.Bench.Fuzz;
using Doppel.Ingest;
using Doppel.Packs;
using Doppel.Packs.Manufacturing;
using Doppel.Query;
using Doppel.Rules;
using Doppel.Simulation;
using Doppel.Twins;

namespace Doppel.Tests.Fuzzing;

/// <summary>
/// What the parser fuzz campaigns found, each input minimised: every one got an exception out of a parser, crashed the
/// process or hung it before the fix; now each is a clear error that says where and why.
/// </summary>
public sealed class FuzzFindingsTests
{
    private static readonly HashSet<string> NoModels = [];

    private static string Nested(string open, string inner, string close, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    [Theory]
    [InlineData("(", "T.x = 1", ")")]
    [InlineData("NOT ", "T.x = 1", "")]
    [InlineData("IS_DEFINED(", "T.x", ")")]
    public void Query_conditions_nested_past_the_limit_are_refused_not_a_stack_overflow(string open, string inner, string close)
    {
        var engine = new QueryEngine();
        Assert.True(engine.Parse("SELECT * FROM DIGITALTWINS T WHERE " + Nested(open, inner, close, 64)).IsSuccess);
        Assert.True(QueryCondition.Parse(Nested(open, inner, close, 64), _ => NoModels).IsSuccess);

        // 65 deep is refused; thousands deep (within the 8,000 characters of a query) overflowed the stack of the thread that parsed it (the process died).
        foreach (var depth in new[] { 65, 7900 / (open.Length + close.Length + 1) })
        {
            var query = engine.Execute("SELECT * FROM DIGITALTWINS T WHERE " + Nested(open, inner, close, depth), new EmptySource(), 10, null);
            Assert.Equal("SqlQueryError", query.Error?.Code);
            Assert.Contains("more than 64 deep", query.Error!.Message, StringComparison.Ordinal);
            var condition = QueryCondition.Parse(Nested(open, inner, close, depth), _ => NoModels);
            Assert.Equal("SqlQueryError", condition.Error?.Code);
            Assert.Contains("more than 64 deep", condition.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_query_number_too_large_for_a_double_is_refused_not_thrown_when_planned()
    {
        var huge = "1" + new string('0', 400);
        var query = new QueryEngine().Execute($"SELECT COUNT() FROM DIGITALTWINS WHERE e > {huge}", new EmptySource(), 10, null);
        Assert.Equal("SqlQueryError", query.Error?.Code);
        Assert.Contains("is too large", query.Error!.Message, StringComparison.Ordinal);
        Assert.True(new QueryEngine().Execute("SELECT COUNT() FROM DIGITALTWINS WHERE e > 1e308", new EmptySource(), 10, null).IsSuccess);
    }

    [Fact]
    public void A_route_filter_naming_a_body_member_with_a_lone_surrogate_is_refused_not_thrown_when_matched()
    {
        var parsed = EventFilter.Parse("$body['" + '\uD800' + "'] = 'x'");
        Assert.Equal("EventRouteFilterInvalid", parsed.Error?.Code);
        Assert.Contains("lone UTF-16 surrogate", parsed.Error!.Message, StringComparison.Ordinal);
        Assert.True(EventFilter.Parse("$body['\uD83D\uDE00'] = 'x'").IsSuccess);
    }

    [Theory]
    [InlineData("(", "true", ")")]
    [InlineData("NOT ", "true", "")]
    public void Route_filters_nested_past_the_limit_are_refused_not_a_stack_overflow(string open, string inner, string close)
    {
        Assert.True(EventFilter.Parse(Nested(open, inner, close, 64)).IsSuccess);
        foreach (var depth in new[] { 65, 5000 })
        {
            var parsed = EventFilter.Parse(Nested(open, inner, close, depth));
            Assert.Equal("EventRouteFilterInvalid", parsed.Error?.Code);
            Assert.Contains("more than 64 deep", parsed.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""[{"op":"add","op":"remove","path":"/x","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/x","value":{"\uD83D":1,"":2,"":3}}]""")]
    [InlineData("""[{"op":"\uDE00"}]""")]
    [InlineData("""[{"op":"add","path":"/name","value":"a\uD800"}]""")]
    public void Json_patches_with_duplicate_names_or_lone_surrogates_are_refused_not_thrown(string patch)
    {
        var parsed = JsonPatchDocument.Parse(patch);
        Assert.Equal("JsonPatchInvalid", parsed.Error?.Code);
    }

    [Fact]
    public void A_json_patch_text_with_a_lone_surrogate_is_refused_not_thrown() =>
        Assert.Equal("JsonPatchInvalid", JsonPatchDocument.Parse("[{\"op\":\"add\",\"path\":\"/x\",\"value\":\"" + '\uD800' + "\"}]").Error?.Code);

    [Theory]
    [InlineData(": {\nc")]
    [InlineData("    - : )")]
    [InlineData("    - : a\n       \n      : {{\ns")]
    public void Yaml_that_trips_the_yaml_library_is_a_syntax_error(string text)
    {
        var parsed = DocumentReader.Parse(text);
        Assert.Equal("InvalidArgument", parsed.Error?.Code);
        // The mapping reader of PUT /doppel/mappings reads YAML the same way.
        Assert.StartsWith("yaml not read", new MappingFuzzTarget(null).Run(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_nested_or_aliased_past_the_limits_is_refused_not_a_stack_overflow_or_a_hang()
    {
        var deep = "a: " + Nested("[", "1", "]", 5000);
        Assert.Contains("nest more than 64 deep", DocumentReader.Parse(deep).Error!.Message, StringComparison.Ordinal);
        Assert.StartsWith("yaml not read", new MappingFuzzTarget(null).Run(deep), StringComparison.Ordinal);
        Assert.True(DocumentReader.Parse("a: " + Nested("[", "1", "]", 63)).IsSuccess);

        // Each anchor doubles the last: 2^40 nodes once expanded, which a reader would copy out.
        var bomb = "a0: &a0 [x, x]\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n"));
        Assert.Contains("nodes once its aliases are expanded", DocumentReader.Parse(bomb).Error!.Message, StringComparison.Ordinal);
        Assert.True(DocumentReader.Parse("a: &a { b: 1 }\nc: *a\n").IsSuccess);
    }

    [Fact]
    public void A_mapping_with_a_lone_surrogate_is_refused_not_thrown_on_every_message()
    {
        var definition = JsonNode.Parse("""{"topic":"a/{b}","twinId":"{b}","values":{"t":"$.\uD800"}}""")!.AsObject();
        var mapping = IngestMapping.Parse("m", definition);
        Assert.Equal("InvalidArgument", mapping.Error?.Code);
        Assert.Contains("not valid Unicode text", mapping.Error!.Message, StringComparison.Ordinal);

        // A surrogate as text (as YAML's "\uD800" escape gives it), not as a JSON escape, is found where it is.
        var yaml = new JsonObject { ["topic"] = "a/{b}", ["twinId"] = "{b}", ["values"] = new JsonObject { ["t"] = "$." + '\uD800' } };
        Assert.Contains("values.t is not valid Unicode text", IngestMapping.Parse("m", yaml).Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("buffers: [0]", "Buffer 1 must hold at least one part")]
    [InlineData("buffers: [1e-400]", "Buffer 1 must hold at least one part")]
    public void A_line_whose_buffer_holds_nothing_is_refused_when_read_not_when_run(string buffers, string error)
    {
        var read = LineScenarioFile.Parse($"line:\n  stations:\n    - {{ name: a, cycleTime: const(1) }}\n    - {{ name: b, cycleTime: const(1) }}\n  {buffers}\n");
        Assert.Contains(error, read.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cycleTime: const(0)", "the cycle time must take some time")]
    [InlineData("cycleTime: const(1e-400)", "the cycle time must take some time")]
    [InlineData("cycleTime: const(1), timeToFailure: const(0), timeToRepair: const(1)", "the time to failure must be positive")]
    public void A_station_that_takes_no_time_is_refused_not_a_run_that_never_ends(string station, string error)
    {
        var read = LineScenarioFile.Parse($"line:\n  stations:\n    - {{ name: a, {station} }}\n  buffers: []\n");
        Assert.Contains(error, read.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e147")]
    [InlineData("1e300")]
    public void A_thermal_limit_that_heats_faster_than_the_solver_can_step_is_refused_when_read_not_when_run(string rise)
    {
        // Fuzz finding 115410: the run failed at the ODE solver's step limit instead of the file being refused.
        var read = LineScenarioFile.Parse($"line:\n  stations:\n    - {{ name: a, cycleTime: const(1), thermal: {{ ambient: 20, rise: {rise}, timeConstant: 30, tripAt: 70, resumeAt: 50 }} }}\n  buffers: []\n");
        Assert.Contains("too fast to simulate", read.Error?.Message, StringComparison.Ordinal);
        Assert.True(LineScenarioFile.Parse("line:\n  stations:\n    - { name: a, cycleTime: const(1), thermal: { ambient: 20, rise: 1e6, timeConstant: 30, tripAt: 70, resumeAt: 50 } }\n  buffers: []\n").IsSuccess);
    }

    [Fact]
    public void A_device_value_beyond_a_double_is_refused_not_converted_to_infinity()
    {
        Assert.Equal(DeadLetterReason.ValidationFailed, Units.Convert(double.PositiveInfinity, "degreeFahrenheit", "degreeCelsius").Error?.Code);
        Assert.Equal(DeadLetterReason.ValidationFailed, Units.Convert(double.PositiveInfinity, "degreeCelsius", "degreeCelsius").Error?.Code);
        Assert.Equal(DeadLetterReason.ValidationFailed, Units.Convert(double.MaxValue, "kilopascal", "pascal").Error?.Code);
        Assert.Equal(100, Units.Convert(212, "degreeFahrenheit", "degreeCelsius").Value, 9);
    }

    [Fact]
    public void A_normal_duration_with_a_negative_mean_is_refused_not_drawn_forever()
    {
        var parsed = Distribution.Parse("normal(-1, 0.05)");
        Assert.Contains("the mean must not be negative", parsed.Error?.Message, StringComparison.Ordinal);
        Assert.True(Distribution.Parse("normal(0, 0.05)").IsSuccess);
    }

    /// <summary>No twins: the engine still parses, plans and runs the query.</summary>
    private sealed class EmptySource : IQuerySource
    {
        public IEnumerable<JsonObject> TwinsAfter(string? afterDtId) => [];

        public IReadOnlySet<string> ModelAndSubtypes(string dtmi) => NoModels;
    }
}
