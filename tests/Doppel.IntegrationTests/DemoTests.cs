using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>`doppel demo`, the README's first command: a live sample factory on embedded defaults.</summary>
public sealed partial class DemoTests
{
    [Fact]
    public async Task The_demo_serves_a_live_factory_that_streams_telemetry_and_can_be_forked()
    {
        var data = Repository.TempFolder();
        using var demo = Process.Start(DoppelProcess.StartInfo(["demo", "--data", data, "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--rate", "50"]))!;
        try
        {
            Uri? api = null;
            while (await demo.StandardOutput.ReadLineAsync() is { } line)
            {
                if (ApiLine().Match(line) is { Success: true } match)
                {
                    api = new Uri(match.Groups[1].Value);
                    break;
                }
            }
            Assert.NotNull(api);
            using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(60) };

            // Wait on the system: the first telemetry event of a machine on the live stream.
            using (var stream = await http.GetStreamAsync("/doppel/streams/events?twinId=weld&types=telemetry"))
            using (var reader = new StreamReader(stream))
            {
                string? line;
                do
                {
                    line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                }
                while (line is not null && !line.StartsWith("event: microsoft.iot.telemetry", StringComparison.Ordinal));
                Assert.NotNull(line);
            }
            using var response = await http.PostAsync("/doppel/scenarios", new StringContent("""{"line":"line-1","run":{"duration":3000,"warmup":300,"replications":3}}""", System.Text.Encoding.UTF8, "application/json"));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(4, body["initialState"]!["bufferLevels"]!.AsArray().Count);
            Assert.Equal(2, (int)body["crews"]!);
        }
        finally
        {
            demo.Kill(entireProcessTree: true);
            await demo.WaitForExitAsync();
        }
    }

    [GeneratedRegex(@"API (http://\S+)")]
    private static partial Regex ApiLine();
}
