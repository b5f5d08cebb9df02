using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Doppel.Server.Hosting;
using MQTTnet.Certificates;
using MQTTnet.Server;

namespace Doppel.Server.Mqtt;

/// <summary>MQTTS: the broker's TLS port, with the server's certificate and optional client certificates.</summary>
public sealed partial class EmbeddedBroker
{
    private const string ClientCertificateKey = "doppel.client-certificate";

    // TLS 1.3 client authentication ("clientAuth" extended key usage) as RFC 5280 section 4.2.1.12 names it.
    private static readonly System.Security.Cryptography.Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    // A validated certificate travels from the connection's validation (no session yet) to its session (ClientConnected).
    private readonly ConcurrentDictionary<string, MqttClientCertificate?> _presented = new(StringComparer.Ordinal);
    private X509Certificate2Collection? _clientCas;

    /// <summary>The port the broker listens on for TLS (resolved when 0 was asked), or null when it has none.</summary>
    public int? TlsPort { get; private set; }

    /// <summary>The validated certificate of the client whose session these are (any MQTT event's <c>SessionItems</c>), or null when it presented none.</summary>
    public static MqttClientCertificate? ClientCertificateOf(IDictionary sessionItems)
    {
        ArgumentNullException.ThrowIfNull(sessionItems);
        return sessionItems[ClientCertificateKey] as MqttClientCertificate;
    }

    /// <summary>The validated certificate of a connected client's session, or null when it presented none (or has no session).</summary>
    public async Task<MqttClientCertificate?> ClientCertificateAsync(string clientId)
    {
        var server = _server ?? throw new InvalidOperationException("The embedded MQTT broker is not running.");
        var session = (await server.GetSessionsAsync()).FirstOrDefault(s => s.Id == clientId);
        return session is null ? null : ClientCertificateOf(session.Items);
    }

    /// <summary>Adds the TLS endpoint to the broker's options when <see cref="DoppelServerOptions.MqttsPort"/> is set.</summary>
    private void ConfigureTls(MqttServerOptions serverOptions)
    {
        if (options.Value.MqttsPort is not { } port)
        {
            return;
        }
        var served = certificate ?? throw new InvalidOperationException("The MQTTS port needs the server's certificate, which DoppelServer loads at start.");
        if (options.Value.MqttClientCaPath is { } caPath)
        {
            var bundle = ServerCertificate.LoadCaBundle(caPath);
            _clientCas = bundle.IsSuccess ? bundle.Value : throw new ArgumentException(bundle.Error.Message, nameof(options));
        }
        var tls = serverOptions.TlsEndpointOptions;
        tls.IsEnabled = true;
        tls.Port = port;
        (tls.BoundInterNetworkAddress, tls.BoundInterNetworkV6Address) = BoundAddresses(options.Value.MqttBindAddress);
        tls.CertificateProvider = new X509CertificateProvider(served.Certificate);
        tls.SslProtocol = SslProtocols.Tls12 | SslProtocols.Tls13;
        // "Optional" must still ask for a certificate, or a client never sends one; the callback lets a client without one in.
        tls.ClientCertificateRequired = options.Value.MqttClientCertificates != MqttClientCertificateMode.None;
        tls.RemoteCertificateValidationCallback = ValidateClientCertificate;
    }

    /// <summary>
    /// The IPv4 and IPv6 addresses a listener binds for one configured address: only that one. MQTTnet otherwise also
    /// listens on the other family's any-address ([::] beside 127.0.0.1), beyond the loopback a user asked for.
    /// </summary>
    private static (IPAddress V4, IPAddress V6) BoundAddresses(string address)
    {
        var parsed = IPAddress.Parse(address);
        return parsed.AddressFamily == AddressFamily.InterNetworkV6 ? (IPAddress.None, parsed) : (parsed, IPAddress.None);
    }

    private bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return options.Value.MqttClientCertificates != MqttClientCertificateMode.Required;
        }
        if (_clientCas is null)
        {
            // The system's store: .NET built and checked the chain (client authentication usage included).
            return errors == SslPolicyErrors.None;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_clientCas);
        custom.ChainPolicy.ExtraStore.AddRange(_clientCas);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        using var presented = certificate as X509Certificate2 is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        return custom.Build(presented ?? (X509Certificate2)certificate);
    }

    /// <summary>Notes the (already validated) certificate a connecting client presented, for its session.</summary>
    private Task NoteClientCertificate(ValidatingConnectionEventArgs e)
    {
        var clientId = string.IsNullOrEmpty(e.ClientId) ? e.AssignedClientIdentifier : e.ClientId;
        if (!string.IsNullOrEmpty(clientId) && e.IsSecureConnection)
        {
            _presented[clientId] = e.ClientCertificate is { } certificate ? MqttClientCertificate.From(certificate) : null;
        }
        return Task.CompletedTask;
    }

    /// <summary>Puts the connection's certificate on its session, replacing a resumed session's earlier one.</summary>
    private void MoveClientCertificate(ClientConnectedEventArgs e)
    {
        if (_presented.TryRemove(e.ClientId, out var certificate) && certificate is not null)
        {
            e.SessionItems[ClientCertificateKey] = certificate;
        }
        else
        {
            e.SessionItems.Remove(ClientCertificateKey);
        }
    }
}
