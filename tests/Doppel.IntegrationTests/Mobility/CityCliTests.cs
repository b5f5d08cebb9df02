using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests.Mobility;

/// <summary>
/// <c>doppel traffic twins</c> and <c>doppel traffic estimate</c> as a user runs them: a SUMO network and its loops put
/// on a real server as twins (or written for <c>doppel import</c>), the full-day ±10% figure on the sample's recorded
/// day, and bad files refused in one line with the file and line.
/// </summary>
public sealed class CityCliTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string City = Path.Combine(Repository.Root, "samples", "city");

    private string Url => server.Server.HttpAddress!.ToString().TrimEnd('/');

    [Fact]
    public async Task Traffic_twins_puts_a_network_and_its_detectors_on_a_server_as_the_import_file_holds_them()
    {
        var file = Path.Combine(Repository.TempFolder(), "town.ndjson");
        var args = new[] { "traffic", "twins", Path.Combine(City, "city.net.xml"), "--add", Path.Combine(City, "city.det.xml"), "--name", "town" };

        var put = await DoppelProcess.RunAsync([.. args, "--server", Url]);
        var written = await DoppelProcess.RunAsync([.. args, "--output", file]);

        Assert.True(put.ExitCode == 0, put.StdErr);
        Assert.True(written.ExitCode == 0, written.StdErr);
        Assert.StartsWith("109 twins (48 roads, 16 intersections, 12 signals, 32 detectors) and 248 relationships put on http://127.0.0.1:", put.StdOut, StringComparison.Ordinal);
        var town = await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/town");
        Assert.Equal("city.net.xml", (string?)town["netFile"]);
        var lines = File.ReadAllLines(file).Select(l => JsonNode.Parse(l)!).Where(l => l["$dtId"] is not null).ToList();
        Assert.Equal(109, lines.Count);
        foreach (var twin in lines)
        {
            var stored = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{(string)twin["$dtId"]!}");
            Assert.Equal((string?)twin["$metadata"]!["$model"], (string?)stored["$metadata"]!["$model"]);
        }
        // Without a survey, each road sends its vehicles evenly to the roads its lanes connect to, a fifth ending there
        var road = await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/road-B1C1");
        Assert.Equal(("B1C1", "B1", "C1", 2), ((string?)road["edge"], (string?)road["from"], (string?)road["to"], (int)road["lanes"]!));
        var turns = road["turns"]!.AsObject();
        Assert.Equal(["road-C1B1", "road-C1C0", "road-C1C2", "road-C1D1"], turns.Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.Equal(0.8, turns.Sum(t => (double)t.Value!), 3);
        var monitors = (await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/detector-det_B1C1_1/relationships"))["value"]!.AsArray();
        Assert.Equal(("monitors", "road-B1C1"), ((string?)monitors.Single()!["$relationshipName"], (string?)monitors.Single()!["$targetId"]));
        var signal = await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/signal-B1");
        Assert.StartsWith("<tlLogic id=\"B1\" type=\"static\" programID=\"0\"", (string)signal["program"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traffic_twins_refuses_a_detector_on_a_lane_the_network_lacks_and_puts_nothing()
    {
        var add = Path.Combine(Repository.TempFolder(), "bad.add.xml");
        await File.WriteAllTextAsync(add, "<additional>\n  <inductionLoop id=\"d1\" lane=\"B1C1_0\" pos=\"10\" period=\"300\"/>\n  <inductionLoop id=\"d2\" lane=\"nowhere_0\" pos=\"10\" period=\"300\"/>\n</additional>\n");

        var result = await DoppelProcess.RunAsync("traffic", "twins", Path.Combine(City, "city.net.xml"), "--add", add, "--name", "bad", "--server", Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.add.xml:3: induction loop 'd2' is on lane 'nowhere_0', which the network does not have.", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        using var missing = await server.SendAsync(HttpMethod.Get, "/digitaltwins/bad");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Traffic_estimate_scores_the_recorded_day_and_meets_the_ten_percent_criterion()
    {
        var result = await DoppelProcess.RunAsync("traffic", "estimate");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("Link flows estimated from 16 counted roads for all 48 roads over 289 periods", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Criterion met", result.StdOut, StringComparison.Ordinal);
        var all = result.StdOut.Split('\n').Single(l => l.TrimStart().StartsWith("all ", StringComparison.Ordinal));
        var wape = double.Parse(all.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(wape, 0, 10);
    }

    [Fact]
    public async Task Traffic_estimate_names_the_line_of_a_broken_recording()
    {
        var file = Path.Combine(Repository.TempFolder(), "det.out.xml");
        await File.WriteAllTextAsync(file, "<detector>\n  <interval begin=\"0\" end=\"300\" id=\"det_B1C1_0\" nVehContrib=\"many\" flow=\"1\" occupancy=\"0\" speed=\"-1\"/>\n</detector>\n");

        var result = await DoppelProcess.RunAsync("traffic", "estimate", "--detectors", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("det.out.xml, line 2: 'nVehContrib' is 'many', not a number", result.StdErr, StringComparison.Ordinal);
    }
}
