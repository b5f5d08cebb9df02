using System.Diagnostics;
using System.Text.RegularExpressions;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>The official ADT JavaScript SDK, unchanged, against `doppel serve` over HTTPS (tests/compat).</summary>
public sealed partial class AdtSdkCompatibilityTests
{
    // node:test's test() and t.test() calls: the tests the script declares.
    [GeneratedRegex(@"(?<![\w.])(?:t\.)?test\(")]
    private static partial Regex DeclaredTests();

    // node:test's closing summary: "# tests 9", "# pass 9", ...
    [GeneratedRegex(@"^# ((?:tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) \S+)$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    [Fact]
    public async Task The_official_JavaScript_SDK_passes_its_script_against_doppel_serve()
    {
        var compat = Path.Combine(Repository.Root, "tests", "compat");
        Assert.True(Directory.Exists(Path.Combine(compat, "node_modules", "@azure", "digital-twins-core")),
            "Run eng/test.sh (it installs tests/compat's npm packages from the lockfile) before the tests.");
        var data = Repository.TempFolder();
        await using var server = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0;https://127.0.0.1:0");
        // ADT's endpoints live in its control plane, created before any route names them; Doppel's are under /doppel/endpoints.
        using (var http = new HttpClient { BaseAddress = server.Address("http") })
        {
            using var endpoint = await http.PutAsync("/doppel/endpoints/endpoint-1",
                new StringContent("""{"type":"webhook","url":"http://127.0.0.1:9/events"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(endpoint.IsSuccessStatusCode, await endpoint.Content.ReadAsStringAsync());
        }

        var node = new ProcessStartInfo("node") { WorkingDirectory = compat, RedirectStandardOutput = true, RedirectStandardError = true };
        node.ArgumentList.Add("--test");
        node.ArgumentList.Add("adt-sdk.test.mjs");
        node.Environment["DOPPEL_URL"] = server.Address("https").ToString().TrimEnd('/');
        node.Environment["NODE_EXTRA_CA_CERTS"] = Path.Combine(data, "certs", "dev-cert.pem");
        using var process = Process.Start(node)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"node --test failed ({process.ExitCode}):\n{output}\n--- server ---\n{server.Output}");
        // Every test the script declares ran and passed: a run where nothing executed, or something was skipped, fails here.
        var declared = DeclaredTests().Count(File.ReadAllText(Path.Combine(compat, "adt-sdk.test.mjs")));
        Assert.True(declared >= 9, $"adt-sdk.test.mjs declares {declared} tests; expected the script's 9 or more");
        Assert.Equal(
            [$"tests {declared}", $"pass {declared}", "fail 0", "cancelled 0", "skipped 0", "todo 0"],
            SummaryLine().Matches(output).Select(m => m.Groups[1].Value).Where(l => !l.StartsWith("suites", StringComparison.Ordinal) && !l.StartsWith("duration_ms", StringComparison.Ordinal)));
    }
}
