using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>The official ADT JavaScript SDK, unchanged, against `doppel serve` over HTTPS requiring tokens of an OpenID Connect issuer (tests/compat).</summary>
public sealed partial class AdtSdkCompatibilityTests
{
    private const string Audience = "https://digitaltwins.azure.net";

    // node:test's test() and t.test() calls: the tests the script declares.
    [GeneratedRegex(@"(?<![\w.])(?:t\.)?test\(")]
    private static partial Regex DeclaredTests();

    // node:test's closing summary: "# tests 9", "# pass 9", ...
    [GeneratedRegex(@"^# ((?:tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) \S+)$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    [Fact]
    public async Task The_official_JavaScript_SDK_passes_its_script_against_doppel_serve_with_a_real_bearer_token()
    {
        var compat = Path.Combine(Repository.Root, "tests", "compat");
        Assert.True(Directory.Exists(Path.Combine(compat, "node_modules", "@azure", "digital-twins-core")),
            "Run eng/test.sh (it installs tests/compat's npm packages from the lockfile) before the tests.");
        var data = Repository.TempFolder();
        // Credentials required: tokens of a real OpenID Connect issuer, for this server's audience, as Entra ID issues them to the SDKs.
        await using var issuer = await TestIssuer.StartAsync();
        await using var server = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0;https://127.0.0.1:0",
            "--auth-authority", issuer.Authority.ToString(), "--auth-audience", Audience);
        var owner = issuer.Token("adt-sdk", Audience, ["Azure Digital Twins Data Owner"]);
        // ADT's endpoints live in its control plane, created before any route names them; Doppel's are under /doppel/endpoints.
        using (var http = new HttpClient { BaseAddress = server.Address("http") })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", owner);
            using var endpoint = await http.PutAsync("/doppel/endpoints/endpoint-1",
                new StringContent("""{"type":"webhook","url":"http://127.0.0.1:9/events"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(endpoint.IsSuccessStatusCode, await endpoint.Content.ReadAsStringAsync());
        }

        var (exitCode, output) = await NodeTestAsync(compat, "adt-sdk.test.mjs", server, data, owner);
        Assert.True(exitCode == 0, $"node --test failed ({exitCode}):\n{output}\n--- server ---\n{server.Output}");
        // Every test the script declares ran and passed: a run where nothing executed, or something was skipped, fails here.
        var declared = DeclaredTests().Count(File.ReadAllText(Path.Combine(compat, "adt-sdk.test.mjs")));
        Assert.True(declared >= 9, $"adt-sdk.test.mjs declares {declared} tests; expected the script's 9 or more");
        Assert.Equal(
            [$"tests {declared}", $"pass {declared}", "fail 0", "cancelled 0", "skipped 0", "todo 0"],
            Summary(output));

        // The same SDK with a forged token (signed by another key under the issuer's key id) is refused with 401.
        using var forger = RSA.Create(2048);
        var (refusedExit, refusedOutput) = await NodeTestAsync(compat, "adt-sdk-refused.test.mjs", server, data, issuer.Token("adt-sdk", Audience, ["Azure Digital Twins Data Owner"], signedBy: forger));
        Assert.True(refusedExit == 0, $"node --test adt-sdk-refused.test.mjs failed ({refusedExit}):\n{refusedOutput}\n--- server ---\n{server.Output}");
        Assert.Equal(["tests 1", "pass 1", "fail 0", "cancelled 0", "skipped 0", "todo 0"], Summary(refusedOutput));
    }

    private static IEnumerable<string> Summary(string output) =>
        SummaryLine().Matches(output).Select(m => m.Groups[1].Value).Where(l => !l.StartsWith("suites", StringComparison.Ordinal) && !l.StartsWith("duration_ms", StringComparison.Ordinal));

    /// <summary>Runs one node:test script against the server's https address, trusting its development certificate, with a bearer token.</summary>
    private static async Task<(int ExitCode, string Output)> NodeTestAsync(string compat, string script, DoppelProcess server, string data, string token)
    {
        var node = new ProcessStartInfo("node") { WorkingDirectory = compat, RedirectStandardOutput = true, RedirectStandardError = true };
        node.ArgumentList.Add("--test");
        node.ArgumentList.Add(script);
        node.Environment["DOPPEL_URL"] = server.Address("https").ToString().TrimEnd('/');
        node.Environment["NODE_EXTRA_CA_CERTS"] = Path.Combine(data, "certs", "dev-cert.pem");
        node.Environment["DOPPEL_TOKEN"] = token;
        using var process = Process.Start(node)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
