using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Doppel.Server.Hosting;

/// <summary>
/// The self-signed certificate that serves HTTPS in the embedded default. It is created once under the data folder
/// (no `dotnet dev-certs` needed on a fresh machine) and its public part is written as PEM so clients can trust it
/// (e.g. Node's NODE_EXTRA_CA_CERTS).
/// </summary>
public static class DevelopmentCertificate
{
    public const string PfxFileName = "dev-cert.pfx";
    public const string PemFileName = "dev-cert.pem";

    public static X509Certificate2 LoadOrCreate(string dataDirectory, TimeProvider time)
    {
        var folder = Path.Combine(dataDirectory, "certs");
        Directory.CreateDirectory(folder);
        var pfxPath = Path.Combine(folder, PfxFileName);
        if (File.Exists(pfxPath))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(pfxPath, password: null);
            if (existing.NotAfter > time.GetLocalNow().AddDays(1))
            {
                return existing;
            }
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = time.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));

        var pfx = created.Export(X509ContentType.Pfx);
        WriteAtomically(pfxPath, pfx);
        WriteAtomically(Path.Combine(folder, PemFileName), System.Text.Encoding.ASCII.GetBytes(created.ExportCertificatePem() + "\n"));
        return X509CertificateLoader.LoadPkcs12(pfx, password: null);
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
