namespace Doppel.Server;

/// <summary>Whether the MQTTS port asks clients for a certificate (TLS client authentication).</summary>
public enum MqttClientCertificateMode
{
    /// <summary>Clients are not asked; they authenticate, if at all, with a username and password.</summary>
    None,

    /// <summary>Clients are asked; one that presents no certificate is let in, one that presents an invalid one is not.</summary>
    Optional,

    /// <summary>Only clients that present a valid certificate complete the TLS handshake.</summary>
    Required,
}
