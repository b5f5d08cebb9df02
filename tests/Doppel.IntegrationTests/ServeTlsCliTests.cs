using System.Net;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>`doppel serve` with TLS flags, as a user runs it: a PKCS#12 certificate, the development certificate on MQTTS, client certificates required, and one line (exit 2) for each certificate input it cannot use.</summary>
public sealed class ServeTlsCliTests
{
    private static readonly Lazy<TestCertificates> Pki = new(TestCertificates.Create);

    [Fact]
    public async Task Serve_uses_a_password_protected_pfx_for_https_and_requires_client_certificates_on_mqtts()
    {
        var pki = Pki.Value;
        await using var serve = await DoppelProcess.ServeAsync(Repository.TempFolder(), "https://127.0.0.1:0",
            "--certificate", pki.ServerPfx, "--certificate-password", TestCertificates.PfxPassword,
            "--mqtts-port", "0", "--mqtt-client-certificates", "required", "--mqtt-client-ca", pki.CaPem);
        var mqtts = await serve.WaitForLineAsync(l => l.Contains("MQTTS broker on mqtts://", StringComparison.Ordinal));
        var port = mqtts.Split(':')[^1].Split(',')[0];
        using var http = pki.TrustingClient(serve.Address("https"));

        using var health = await http.GetAsync("/health");
        var (without, withoutOutput) = await MosquittoClients.PublishAsync("--cafile", pki.CaPem, "-h", "127.0.0.1", "-p", port, "-t", "t", "-m", "{}", "-q", "1");
        var (with, withOutput) = await MosquittoClients.PublishAsync("--cafile", pki.CaPem, "--cert", pki.ClientPem, "--key", pki.ClientKey, "-h", "127.0.0.1", "-p", port, "-t", "t", "-m", "{}", "-q", "1");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("client certificates required", mqtts, StringComparison.Ordinal);
        Assert.Contains(serve.Output.Split('\n'), l => l.StartsWith("  certificate: CN=localhost, valid until ", StringComparison.Ordinal) && l.EndsWith($"({pki.ServerPfx})", StringComparison.Ordinal));
        Assert.NotEqual(0, without);
        Assert.True(with == 0, withOutput + "\n--- without ---\n" + withoutOutput);
    }

    [Fact]
    public async Task Serve_without_a_certificate_serves_mqtts_with_the_development_one()
    {
        var data = Repository.TempFolder();
        await using var serve = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0", "--mqtts-port", "0");
        var mqtts = await serve.WaitForLineAsync(l => l.Contains("MQTTS broker on mqtts://", StringComparison.Ordinal));
        var port = mqtts.Split(':')[^1];

        var (code, output) = await MosquittoClients.PublishAsync("--cafile", Path.Combine(data, "certs", "dev-cert.pem"), "-h", "localhost", "-p", port, "-t", "t", "-m", "{}", "-q", "1");

        Assert.True(code == 0, output + "\n--- server ---\n" + serve.Output);
        Assert.Contains("development certificate: ", serve.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "The certificate file {folder}/missing.pem (--certificate) does not exist.")]
    [InlineData("wrong-password", "The password given with --certificate-password does not open {folder}/server.pfx.")]
    [InlineData("no-password", "The PKCS#12 file {folder}/server.pfx (--certificate) needs a password; give it with --certificate-password.")]
    [InlineData("mismatched-key", "The key in {folder}/other.key does not match the certificate in {folder}/server.pem.")]
    [InlineData("no-key", "The certificate file {folder}/server.pem holds no private key; name the key's PEM file with --certificate-key.")]
    [InlineData("expired", "The certificate in {folder}/expired.pem (CN=localhost) expired on ")]
    [InlineData("missing-ca", "The CA file {folder}/missing-ca.pem (--mqtt-client-ca) does not exist.")]
    [InlineData("ca-without-mqtts", "MQTT client certificates (--mqtt-client-certificates, --mqtt-client-ca) need the MQTTS port (--mqtts-port).")]
    public async Task A_certificate_input_serve_cannot_use_is_one_line_and_exit_2(string input, string expected)
    {
        var pki = Pki.Value;
        string[] flags = input switch
        {
            "missing" => ["--certificate", Path.Combine(pki.Folder, "missing.pem")],
            "wrong-password" => ["--certificate", pki.ServerPfx, "--certificate-password", "not-the-password"],
            "no-password" => ["--certificate", pki.ServerPfx],
            "mismatched-key" => ["--certificate", pki.ServerPem, "--certificate-key", pki.OtherKey],
            "no-key" => ["--certificate", pki.ServerPem],
            "expired" => ["--certificate", pki.ExpiredPem, "--certificate-key", pki.ExpiredKey],
            "missing-ca" => ["--certificate", pki.ServerPem, "--certificate-key", pki.ServerKey, "--mqtts-port", "0", "--mqtt-client-ca", Path.Combine(pki.Folder, "missing-ca.pem")],
            _ => ["--mqtt-client-ca", pki.CaPem],
        };

        var (code, stdout, stderr) = await DoppelProcess.RunAsync(["serve", "--data", Repository.TempFolder(), "--urls", "https://127.0.0.1:0", "--mqtt-port", "0", .. flags]);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("doppel: " + expected.Replace("{folder}", pki.Folder, StringComparison.Ordinal), line, StringComparison.Ordinal);
    }
}
