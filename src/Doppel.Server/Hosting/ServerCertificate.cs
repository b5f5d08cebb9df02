using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Doppel.Server.Hosting;

/// <summary>
/// The certificate HTTPS and MQTTS present: the user's (PEM certificate and key, or PKCS#12 with a password), else the
/// generated development one. One loader for both listeners, so they can never disagree.
/// </summary>
/// <param name="Certificate">The server's certificate, with its private key.</param>
/// <param name="Chain">Intermediate certificates sent after it (empty for a self-signed one).</param>
/// <param name="Source">Where it came from: the user's file, or the development certificate's PEM (for clients to trust).</param>
/// <param name="IsDevelopment">Whether it is the generated development certificate.</param>
public sealed record ServerCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain, string Source, bool IsDevelopment)
{
    /// <summary>
    /// Loads the certificate the options name (<see cref="DoppelServerOptions.CertificatePath"/>), else the development
    /// certificate under the data folder. Every problem with the user's files is one message naming the file and the
    /// option: missing, unreadable, wrong password, no key, a key that does not match, expired or not yet valid.
    /// </summary>
    public static Result<ServerCertificate> Load(DoppelServerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.CertificatePath is not { } path)
        {
            var development = DevelopmentCertificate.LoadOrCreate(options.DataDirectory, time);
            var pem = Path.Combine(Path.GetFullPath(options.DataDirectory), "certs", DevelopmentCertificate.PemFileName);
            return Result<ServerCertificate>.Ok(new ServerCertificate(development, [], pem, IsDevelopment: true));
        }
        if (!File.Exists(path))
        {
            return Invalid($"The certificate file {path} (--certificate) does not exist.");
        }
        if (options.CertificateKeyPath is { } keyPath && !File.Exists(keyPath))
        {
            return Invalid($"The key file {keyPath} (--certificate-key) does not exist.");
        }
        Result<ServerCertificate> loaded;
        try
        {
            loaded = IsPem(path) ? FromPem(path, options.CertificateKeyPath ?? path, options.CertificatePassword) : FromPkcs12(path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Invalid($"The certificate file {path} cannot be read: {e.Message.TrimEnd('.')}.");
        }
        if (!loaded.IsSuccess)
        {
            return loaded;
        }
        var certificate = loaded.Value.Certificate;
        var now = time.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            return Invalid($"The certificate in {path} ({certificate.Subject}) expired on {Day(certificate.NotAfter)}; renew it.");
        }
        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            return Invalid($"The certificate in {path} ({certificate.Subject}) is not valid before {Day(certificate.NotBefore)}.");
        }
        return loaded;
    }

    /// <summary>The CA certificates in a PEM bundle (for MQTT client certificates), or why they cannot be used.</summary>
    public static Result<X509Certificate2Collection> LoadCaBundle(string path)
    {
        if (!File.Exists(path))
        {
            return Result<X509Certificate2Collection>.Fail("CertificateInvalid", $"The CA file {path} (--mqtt-client-ca) does not exist.");
        }
        var bundle = new X509Certificate2Collection();
        try
        {
            if (IsPem(path))
            {
                bundle.ImportFromPemFile(path);
            }
            else
            {
                bundle.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return Result<X509Certificate2Collection>.Fail("CertificateInvalid", $"The CA file {path} (--mqtt-client-ca) holds no readable certificate: {e.Message.TrimEnd('.')}.");
        }
        return bundle.Count == 0
            ? Result<X509Certificate2Collection>.Fail("CertificateInvalid", $"The CA file {path} (--mqtt-client-ca) holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
            : Result<X509Certificate2Collection>.Ok(bundle);
    }

    private static Result<ServerCertificate> FromPem(string certificatePath, string keyPath, string? password)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(certificatePath);
        }
        catch (CryptographicException e)
        {
            return Invalid($"The certificate file {certificatePath} (--certificate) is not a readable PEM certificate: {e.Message.TrimEnd('.')}.");
        }
        if (certificates.Count == 0)
        {
            return Invalid($"The certificate file {certificatePath} (--certificate) holds no certificate (-----BEGIN CERTIFICATE-----).");
        }
        // The server's certificate comes first, its intermediates after it (the order nginx and Let's Encrypt use).
        var leaf = certificates[0];
        var keyText = File.ReadAllText(keyPath);
        var keyOption = keyPath == certificatePath ? "--certificate" : "--certificate-key";
        var encrypted = keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (!encrypted && !keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return Invalid(keyPath == certificatePath
                ? $"The certificate file {certificatePath} holds no private key; name the key's PEM file with --certificate-key."
                : $"The key file {keyPath} (--certificate-key) holds no PEM private key (-----BEGIN PRIVATE KEY-----).");
        }
        if (encrypted && string.IsNullOrEmpty(password))
        {
            return Invalid($"The key in {keyPath} ({keyOption}) is encrypted; give its password with --certificate-password.");
        }
        AsymmetricAlgorithm key;
        try
        {
            key = leaf.GetKeyAlgorithm() switch
            {
                "1.2.840.113549.1.1.1" => RSA.Create(),
                "1.2.840.10045.2.1" => ECDsa.Create(),
                var other => throw new NotSupportedException(other),
            };
        }
        catch (NotSupportedException)
        {
            return Invalid($"The certificate in {certificatePath} uses a key type Doppel cannot serve with ({leaf.GetKeyAlgorithm()}); use an RSA or ECDSA key.");
        }
        using (key)
        {
            try
            {
                if (encrypted)
                {
                    key.ImportFromEncryptedPem(keyText, password);
                }
                else
                {
                    key.ImportFromPem(keyText);
                }
            }
            catch (CryptographicException) when (encrypted)
            {
                return Invalid($"The password given with --certificate-password does not open the key in {keyPath}.");
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                return Invalid($"The key in {keyPath} ({keyOption}) cannot be read as the {(key is RSA ? "RSA" : "ECDSA")} key the certificate needs: {e.Message.TrimEnd('.')}.");
            }
            X509Certificate2 withKey;
            try
            {
                withKey = key is RSA rsa ? leaf.CopyWithPrivateKey(rsa) : leaf.CopyWithPrivateKey((ECDsa)key);
            }
            catch (ArgumentException)
            {
                return Invalid($"The key in {keyPath} does not match the certificate in {certificatePath}.");
            }
            // A PKCS#12 round trip gives a certificate whose key every TLS stack (SslStream on each platform) can use.
            using (withKey)
            {
                var usable = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
                return Result<ServerCertificate>.Ok(new ServerCertificate(usable, [.. certificates.Skip(1)], Path.GetFullPath(certificatePath), IsDevelopment: false));
            }
        }
    }

    private static Result<ServerCertificate> FromPkcs12(string path, DoppelServerOptions options)
    {
        X509Certificate2Collection certificates;
        try
        {
            certificates = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, options.CertificatePassword);
        }
        catch (CryptographicException e) when (LooksLikeWrongPassword(e))
        {
            return Invalid(string.IsNullOrEmpty(options.CertificatePassword)
                ? $"The PKCS#12 file {path} (--certificate) needs a password; give it with --certificate-password."
                : $"The password given with --certificate-password does not open {path}.");
        }
        catch (CryptographicException e)
        {
            return Invalid($"The certificate file {path} (--certificate) is neither PEM nor a readable PKCS#12 (.pfx) file: {e.Message.TrimEnd('.')}.");
        }
        if (options.CertificateKeyPath is not null)
        {
            return Invalid($"The PKCS#12 file {path} carries its own key; --certificate-key is for PEM certificates only.");
        }
        var leaf = certificates.FirstOrDefault(c => c.HasPrivateKey);
        if (leaf is null)
        {
            return Invalid($"The PKCS#12 file {path} (--certificate) holds no private key; export it with its key.");
        }
        return Result<ServerCertificate>.Ok(new ServerCertificate(leaf, [.. certificates.Where(c => !ReferenceEquals(c, leaf))], Path.GetFullPath(path), IsDevelopment: false));
    }

    // .NET reports a MAC that does not verify (the usual sign of a wrong or missing password) as "the specified network password is not correct".
    private static bool LooksLikeWrongPassword(CryptographicException e) =>
        e.Message.Contains("password", StringComparison.OrdinalIgnoreCase);

    private static bool IsPem(string path)
    {
        using var file = File.OpenRead(path);
        var start = new byte[Math.Min(4096, file.Length)];
        file.ReadExactly(start);
        return System.Text.Encoding.ASCII.GetString(start).Contains("-----BEGIN ", StringComparison.Ordinal);
    }

    private static string Day(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static Result<ServerCertificate> Invalid(string message) => Result<ServerCertificate>.Fail("CertificateInvalid", message);
}
