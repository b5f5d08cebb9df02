using Doppel.IntegrationTests.Support;
using Doppel.Server;

namespace Doppel.IntegrationTests;

/// <summary>
/// Secure by default beyond loopback: `doppel serve` refuses to listen on another address without authentication,
/// with one line that says how to go on, and starts with --insecure, saying so.
/// </summary>
public sealed class SecureStartupTests
{
    private const string Refusal = "Doppel would listen beyond loopback without authentication: require credentials (--auth-required, with API keys from 'doppel auth keys create'), "
        + "accept an identity provider's tokens (--auth-authority URL), or allow anonymous access anyway with --insecure.";

    [Fact]
    public async Task Serving_on_every_address_without_authentication_exits_with_the_usage_code_and_one_line()
    {
        var (exitCode, stdout, stderr) = await DoppelProcess.RunAsync("serve", "--data", Repository.TempFolder(), "--urls", "http://0.0.0.0:0", "--mqtt-port", "0");

        Assert.True(exitCode == 2, $"exit {exitCode}\nstdout: {stdout}\nstderr: {stderr}");
        Assert.Equal("doppel: " + Refusal, stderr.Trim());
        Assert.DoesNotContain(" at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_insecure_it_starts_on_every_address_and_warns()
    {
        await using var server = DoppelProcess.Start("serve", "--data", Repository.TempFolder(), "--urls", "http://0.0.0.0:0", "--mqtt-port", "0", "--insecure");

        var warning = await server.WaitForLineAsync(line => line.Contains("INSECURE", StringComparison.Ordinal));
        await server.WaitForLineAsync(line => line.Contains("Press Ctrl+C to stop", StringComparison.Ordinal));

        Assert.Contains("anonymous access is allowed beyond loopback", warning, StringComparison.Ordinal);
        // It answers anonymous requests as the laptop case does, now from any address.
        using var http = new HttpClient();
        using var health = await http.GetAsync($"http://127.0.0.1:{server.Address("http").Port}/doppel/auth/whoami?api-version={ServerFixture.ApiVersion}");
        Assert.Contains("\"subject\":\"anonymous\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(130, await server.InterruptAsync());
    }

    [Fact]
    public async Task The_server_refuses_an_MQTT_broker_on_every_address_without_authentication()
    {
        var options = new DoppelServerOptions { DataDirectory = Repository.TempFolder(), Urls = "http://127.0.0.1:0", MqttPort = 0, MqttBindAddress = "0.0.0.0" };

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => DoppelServer.StartAsync(options));

        Assert.Equal(Refusal + " (Parameter 'options')", refused.Message);
    }

    [Fact]
    public async Task An_issuer_that_is_not_a_URL_is_a_usage_error()
    {
        var (exitCode, stdout, stderr) = await DoppelProcess.RunAsync("serve", "--data", Repository.TempFolder(), "--auth-authority", "login.example.com", "--mqtt-port", "0");

        Assert.True(exitCode == 2, $"exit {exitCode}\nstdout: {stdout}\nstderr: {stderr}");
        Assert.StartsWith("doppel: --auth-authority: 'login.example.com' is not an absolute URL", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', stderr.Trim());
    }
}
