using System.Diagnostics;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>The official ADT JavaScript SDK, unchanged, against `doppel serve` over HTTPS (tests/compat).</summary>
public sealed class AdtSdkCompatibilityTests
{
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
        Assert.Contains("# fail 0", output);
    }
}
