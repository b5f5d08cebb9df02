using System.Text.Json;
using Doppel.Ingest;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Doppel.Tests.Ingest;

/// <summary>The pieces a mapping is made of: topic templates, JSON paths, units, timestamps, convention topics.</summary>
public sealed class IngestParsingTests
{
    [Theory]
    [InlineData("factory/{line}/{machine}/data", "factory/l1/press7/data", "line=l1,machine=press7")]
    [InlineData("factory/+/{machine}/#", "factory/l1/press7/data/extra", "machine=press7")]
    [InlineData("factory/{line}/status", "factory/l1/status/more", null)]
    [InlineData("factory/{line}/status", "factory//status", null)]
    [InlineData("a/#", "a", "")]
    public void Topic_templates_capture_levels_and_match_like_MQTT_filters(string template, string topic, string? expected)
    {
        var parsed = TopicTemplate.Parse(template).Value!;
        var captures = new Dictionary<string, string>();

        var matched = parsed.TryMatch(topic, captures);

        Assert.Equal(expected is not null, matched);
        if (expected is not null)
        {
            Assert.Equal(expected, string.Join(',', captures.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")));
        }
    }

    [Theory]
    [InlineData("a/{x}/{x}", "appears twice")]
    [InlineData("a/#/b", "final '#'")]
    [InlineData("a/{x-y}", "letters, digits")]
    [InlineData("", "must not be empty")]
    public void Bad_topic_templates_are_refused_with_the_reason(string template, string expected) =>
        Assert.Contains(expected, TopicTemplate.Parse(template).Error!.Message, StringComparison.Ordinal);

    [Fact]
    public void A_template_gives_its_subscription_filter() =>
        Assert.Equal("factory/+/+/data/#", TopicTemplate.Parse("factory/{line}/{machine}/data/#").Value!.Filter);

    [Theory]
    [InlineData("$.readings[1].value", "2")]
    [InlineData("$['odd key'].x", "\"y\"")]
    [InlineData("$.missing", null)]
    [InlineData("$.readings[5]", null)]
    public void Json_paths_select_one_value(string path, string? expected)
    {
        using var document = JsonDocument.Parse("""{"readings":[{"value":1},{"value":2}],"odd key":{"x":"y"}}""");

        var found = JsonPath.Parse(path).Value!.TrySelect(document.RootElement, out var value);

        Assert.Equal(expected, found ? value.GetRawText() : null);
    }

    [Theory]
    [InlineData("readings", "starts with '$'")]
    [InlineData("$.a[", "is not closed")]
    [InlineData("$.a[x]", "neither an index nor a quoted name")]
    [InlineData("$..a", "member name is expected")]
    public void Bad_json_paths_say_where(string path, string expected) =>
        Assert.Contains(expected, JsonPath.Parse(path).Error!.Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(212, "degreeFahrenheit", "degreeCelsius", 100)]
    [InlineData(0, "degreeCelsius", "kelvin", 273.15)]
    [InlineData(1, "bar", "kilopascal", 100)]
    [InlineData(36, "kilometrePerHour", "metrePerSecond", 10)]
    [InlineData(1, "hour", "minute", 60)]
    public void Units_convert_to_known_values(double value, string from, string to, double expected) =>
        Assert.Equal(expected, Units.Convert(value, from, to).Value, 9);

    [Property(MaxTest = 200)]
    public Property Converting_there_and_back_returns_the_value(NormalFloat value) =>
        (Math.Abs(Units.Convert(Units.Convert(value.Get, "degreeFahrenheit", "kelvin").Value, "kelvin", "degreeFahrenheit").Value - value.Get) <= 1e-9 * Math.Max(1, Math.Abs(value.Get))).ToProperty();

    [Fact]
    public void Units_of_different_kinds_do_not_convert()
    {
        Assert.Contains("Cannot convert", Units.Convert(1, "metre", "second").Error!.Message, StringComparison.Ordinal);
        Assert.Contains("not a DTDL unit", Units.Convert(1, "furlong", "metre").Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"2026-05-01T10:00:00Z\"", "2026-05-01T10:00:00.0000000+00:00")]
    [InlineData("1777629600", "2026-05-01T10:00:00.0000000+00:00")]
    [InlineData("1777629600000", "2026-05-01T10:00:00.0000000+00:00")]
    [InlineData("\"soon\"", null)]
    [InlineData("-5", null)]
    public void Timestamps_are_RFC_3339_or_Unix_seconds_or_milliseconds(string json, string? expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, IngestMapping.ReadTime(document.RootElement)?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("doppel/twins/m1/telemetry", "m1", null, IngestKind.Telemetry)]
    [InlineData("doppel/twins/m1/properties", "m1", null, IngestKind.Properties)]
    [InlineData("doppel/twins/m1/components/motor/telemetry", "m1", "motor", IngestKind.Telemetry)]
    public void Convention_topics_name_the_twin_component_and_kind(string topic, string twin, string? component, IngestKind kind)
    {
        Assert.True(ConventionTopics.TryParse(topic, out var id, out var c, out var k));
        Assert.Equal((twin, component, kind), (id, c, k));
        Assert.Equal(topic, kind == IngestKind.Telemetry ? ConventionTopics.Telemetry(twin, component) : ConventionTopics.Properties(twin, component));
    }

    [Theory]
    [InlineData("doppel/twins/m1")]
    [InlineData("doppel/twins/m1/state")]
    [InlineData("doppel/twins//telemetry")]
    [InlineData("factory/m1/telemetry")]
    public void Other_topics_are_not_convention_topics(string topic) => Assert.False(ConventionTopics.TryParse(topic, out _, out _, out _));
}
