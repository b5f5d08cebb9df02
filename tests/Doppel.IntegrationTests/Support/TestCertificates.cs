using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Doppel.IntegrationTests.Support;

/// <summary>
/// A test-only PKI made fresh in a temp folder: a CA, a server certificate it issued for localhost and 127.0.0.1 (PEM,
/// separate key, PKCS#12 with a password), a client certificate it issued, and the bad inputs a user can give.
/// Nothing here is committed: every key is generated when the test runs.
/// </summary>
internal sealed class TestCertificates
{
    public const string PfxPassword = "test-only-pfx-password";

    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaPem => Path.Combine(Folder, "ca.pem");

    public string ServerPem => Path.Combine(Folder, "server.pem");

    public string ServerKey => Path.Combine(Folder, "server.key");

    public string ServerPfx => Path.Combine(Folder, "server.pfx");

    public string ClientPem => Path.Combine(Folder, "client.pem");

    public string ClientKey => Path.Combine(Folder, "client.key");

    /// <summary>A client certificate from a CA the server does not trust.</summary>
    public string StrangerPem => Path.Combine(Folder, "stranger.pem");

    public string StrangerKey => Path.Combine(Folder, "stranger.key");

    public string ExpiredPem => Path.Combine(Folder, "expired.pem");

    public string ExpiredKey => Path.Combine(Folder, "expired.key");

    /// <summary>A key that belongs to no certificate here.</summary>
    public string OtherKey => Path.Combine(Folder, "other.key");

    public X509Certificate2 Ca { get; private set; } = null!;

    public X509Certificate2 Server { get; private set; } = null!;

    public X509Certificate2 Client { get; private set; } = null!;

    public X509Certificate2 Stranger { get; private set; } = null!;

    public static TestCertificates Create()
    {
        var pki = new TestCertificates(Repository.TempFolder());
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Doppel Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        pki.Ca = caRequest.CreateSelfSigned(now.AddDays(-60), now.AddYears(1));
        File.WriteAllText(pki.CaPem, pki.Ca.ExportCertificatePem());

        pki.Server = Issue(pki.Ca, "CN=localhost", serverAuth: true, now.AddDays(-1), now.AddDays(30), pki.ServerPem, pki.ServerKey);
        File.WriteAllBytes(pki.ServerPfx, pki.Server.Export(X509ContentType.Pkcs12, PfxPassword));
        pki.Client = Issue(pki.Ca, "CN=press-7, O=Doppel Test", serverAuth: false, now.AddDays(-1), now.AddDays(30), pki.ClientPem, pki.ClientKey);
        Issue(pki.Ca, "CN=localhost", serverAuth: true, now.AddDays(-30), now.AddDays(-2), pki.ExpiredPem, pki.ExpiredKey);

        using var strangerCaKey = RSA.Create(2048);
        var strangerCa = new CertificateRequest("CN=Someone Else's CA", strangerCaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        strangerCa.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        strangerCa.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        strangerCa.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(strangerCa.PublicKey, false));
        using var strangerRoot = strangerCa.CreateSelfSigned(now.AddDays(-60), now.AddYears(1));
        pki.Stranger = Issue(strangerRoot, "CN=stranger", serverAuth: false, now.AddDays(-1), now.AddDays(30), pki.StrangerPem, pki.StrangerKey);

        using var other = RSA.Create(2048);
        File.WriteAllText(pki.OtherKey, other.ExportPkcs8PrivateKeyPem());
        return pki;
    }

    /// <summary>An HttpClient that trusts this CA and nothing else (not the system's store).</summary>
    public HttpClient TrustingClient(Uri address) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => TrustedByCa(certificate) },
    })
    { BaseAddress = address };

    public bool TrustedByCa(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, bool serverAuth, DateTimeOffset notBefore, DateTimeOffset notAfter, string pemPath, string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(issuer, notBefore, notAfter, serial);
        File.WriteAllText(pemPath, issued.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }
}
