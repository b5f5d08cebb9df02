using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Doppel.Server.Mqtt;

/// <summary>
/// The certificate an MQTTS client presented and the broker validated (against <c>--mqtt-client-ca</c> or the system's
/// store), as authentication maps it to a subject. Read it with <see cref="EmbeddedBroker.ClientCertificateOf"/>.
/// </summary>
/// <param name="Subject">The certificate's distinguished name, e.g. <c>CN=press-7, O=Acme</c>.</param>
/// <param name="Thumbprint">SHA-256 of the certificate (DER), upper-case hex: what IoT Hub and DPS call its SHA-256 thumbprint.</param>
/// <param name="NotAfter">When it expires (UTC).</param>
public sealed record MqttClientCertificate(string Subject, string Thumbprint, DateTimeOffset NotAfter)
{
    public static MqttClientCertificate From(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new MqttClientCertificate(certificate.Subject, certificate.GetCertHashString(HashAlgorithmName.SHA256), new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }
}
