using System.Globalization;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>The standing history policy: stored, applied on demand (and on its schedule), refused when malformed.</summary>
public sealed class HistoryPolicyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_policy_downsamples_then_deletes_old_points_and_compacts_what_is_left()
    {
        await server.PutModelsAsync("""
            [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:policy:Pump;1","@type":"Interface","contents":[{"@type":"Telemetry","name":"flow","schema":"double"}]}]
            """);
        await server.SendOkAsync(HttpMethod.Put, "/digitaltwins/pump", """{"$metadata":{"$model":"dtmi:policy:Pump;1"}}""");
        var now = DateTimeOffset.UtcNow;
        var tenDaysAgo = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddDays(-10);
        var times = new List<DateTimeOffset>();
        for (var i = 0; i < 6; i++)
        {
            times.Add(tenDaysAgo.AddMinutes(10 * i)); // one hour of points, 10 days ago: downsampled to one
        }
        times.Add(now.AddDays(-40)); // past retention: deleted
        times.Add(now.AddMinutes(-5)); // recent: kept as is
        for (var i = 0; i < times.Count; i++)
        {
            using var response = await server.SendAsync(HttpMethod.Post, "/digitaltwins/pump/telemetry", $$"""{"flow":{{i}}}""", configure: r =>
            {
                r.Headers.Add("Message-Id", $"p{i}");
                r.Headers.Add("Telemetry-Source-Time", times[i].ToString("O", CultureInfo.InvariantCulture));
            });
            Assert.Equal(204, (int)response.StatusCode);
        }

        var set = await server.SendOkAsync(HttpMethod.Put, "/doppel/history/policy", """{"retention":"30d","downsample":{"olderThan":"7d","bucket":"1h"},"compact":true,"interval":"1d"}""");
        var run = await server.SendOkAsync(HttpMethod.Post, "/doppel/history/policy/run");

        Assert.Equal("P30D", (string?)set["policy"]!["retention"]);
        Assert.Equal(5, (long)run["downsampled"]!);
        Assert.Equal(1, (long)run["deleted"]!);
        Assert.Equal(2, (long)run["compacted"]!);
        var points = (await server.SendOkAsync(HttpMethod.Get, "/doppel/history/twins/pump?from=2000-01-01T00:00:00Z"))["value"]!.AsArray();
        Assert.Equal([2.5, 7.0], points.Select(p => (double)p!["value"]!));
        Assert.Equal(tenDaysAgo, (DateTimeOffset)points[0]!["time"]!);
        var shown = await server.SendOkAsync(HttpMethod.Get, "/doppel/history/policy");
        Assert.Equal(1, (long)shown["lastRun"]!["deleted"]!);
    }

    [Theory]
    [InlineData("""{"retention":"soon"}""", "retention")]
    [InlineData("""{"retention":"7d","downsample":{"olderThan":"30d","bucket":"1h"}}""", "would never happen")]
    [InlineData("""{"downsample":{"olderThan":"30d"}}""", "bucket")]
    [InlineData("""{"keep":"7d"}""", "unknown field")]
    public async Task A_malformed_policy_is_refused_with_the_reason(string body, string expected)
    {
        using var response = await server.SendAsync(HttpMethod.Put, "/doppel/history/policy", body);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
