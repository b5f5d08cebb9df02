using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.History;

/// <summary>
/// What history keeps, applied on a schedule: numeric points older than <see cref="DownsampleAfter"/> become one average
/// per <see cref="DownsampleBucket"/>, points older than <see cref="Retention"/> are deleted, and the archive is compacted.
/// </summary>
public sealed record HistoryPolicy(TimeSpan? Retention, TimeSpan? DownsampleAfter, TimeSpan? DownsampleBucket, bool Compact, TimeSpan Interval)
{
    public static TimeSpan DefaultInterval { get; } = TimeSpan.FromHours(1);

    /// <summary>Reads <c>{"retention":"90d","downsample":{"olderThan":"7d","bucket":"1h"},"compact":true,"interval":"1h"}</c>; every part optional.</summary>
    public static Result<HistoryPolicy> Parse(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        foreach (var (name, _) in json)
        {
            if (name is not ("retention" or "downsample" or "compact" or "interval"))
            {
                return Fail($"unknown field '{name}'; the fields are retention, downsample, compact and interval.");
            }
        }
        var retention = Duration(json["retention"], "retention");
        var interval = Duration(json["interval"], "interval");
        if (!retention.IsSuccess || !interval.IsSuccess)
        {
            return Result<HistoryPolicy>.Fail(retention.Error ?? interval.Error!);
        }
        TimeSpan? after = null, bucket = null;
        if (json["downsample"] is { } downsample)
        {
            if (downsample is not JsonObject d)
            {
                return Fail("\"downsample\" must be an object {\"olderThan\": \"7d\", \"bucket\": \"1h\"}.");
            }
            var olderThan = Duration(d["olderThan"], "downsample.olderThan");
            var width = Duration(d["bucket"], "downsample.bucket");
            if (!olderThan.IsSuccess || !width.IsSuccess || olderThan.Value is null || width.Value is null)
            {
                return Result<HistoryPolicy>.Fail(olderThan.Error ?? width.Error ?? new DoppelError("InvalidArgument", "History policy: downsample needs both olderThan and bucket."));
            }
            (after, bucket) = (olderThan.Value, width.Value);
        }
        if (retention.Value is { } keep && after is { } downsampleAfter && downsampleAfter >= keep)
        {
            return Fail($"downsampling after {downsampleAfter} would never happen: retention deletes points after {keep}.");
        }
        var compact = false;
        if (json["compact"] is { } c && (c is not JsonValue cv || !cv.TryGetValue(out compact)))
        {
            return Fail("\"compact\" must be true or false.");
        }
        var every = interval.Value ?? DefaultInterval;
        if (every < TimeSpan.FromSeconds(1))
        {
            return Fail("\"interval\" must be at least 1s.");
        }
        return Result<HistoryPolicy>.Ok(new HistoryPolicy(retention.Value, after, bucket, compact, every));
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Retention is { } retention)
        {
            json["retention"] = Text(retention);
        }
        if (DownsampleAfter is { } after && DownsampleBucket is { } bucket)
        {
            json["downsample"] = new JsonObject { ["olderThan"] = Text(after), ["bucket"] = Text(bucket) };
        }
        json["compact"] = Compact;
        json["interval"] = Text(Interval);
        return json;
    }

    private static string Text(TimeSpan span) => System.Xml.XmlConvert.ToString(span);

    private static Result<TimeSpan?> Duration(JsonNode? node, string what)
    {
        if (node is null)
        {
            return Result<TimeSpan?>.Ok(null);
        }
        if (node is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            return Result<TimeSpan?>.Fail("InvalidArgument", $"History policy: {what} must be a duration string such as 7d or PT1H.");
        }
        var parsed = HistoryDuration.Parse(text, "History policy: " + what);
        return parsed.IsSuccess ? Result<TimeSpan?>.Ok(parsed.Value) : Result<TimeSpan?>.Fail(parsed.Error);
    }

    private static Result<HistoryPolicy> Fail(string message) => Result<HistoryPolicy>.Fail("InvalidArgument", "History policy: " + message);

    /// <summary>For logs: the policy in one line.</summary>
    public override string ToString() => ToJson().ToJsonString().ToString(CultureInfo.InvariantCulture);
}
