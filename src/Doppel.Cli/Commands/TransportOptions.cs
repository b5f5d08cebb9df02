using System.CommandLine;
using Doppel.Server;

namespace Doppel.Cli.Commands;

/// <summary>
/// The TLS options of the commands that run a server (serve, demo): the certificate HTTPS and MQTTS present, the MQTTS
/// port and MQTT client certificates. One set, so both commands take the same flags and say the same things.
/// </summary>
internal sealed class TransportOptions
{
    /// <summary>The variable a certificate password may come from instead of the command line (where other users' ps can read it).</summary>
    public const string PasswordVariable = "DOPPEL_CERTIFICATE_PASSWORD";

    /// <summary>The MQTTS port <c>--mqtts-port</c> alone means: MQTT over TLS's registered port.</summary>
    public const int DefaultMqttsPort = 8883;

    private readonly Option<string?> _certificate = new("--certificate") { Description = "The server's certificate for HTTPS and MQTTS: PEM (key in --certificate-key or the same file) or PKCS#12 (.pfx). Default: the development certificate in the data folder.", HelpName = "file" };
    private readonly Option<string?> _key = new("--certificate-key") { Description = "The PEM private key of --certificate, when it is in a file of its own.", HelpName = "file" };
    private readonly Option<string?> _password = new("--certificate-password") { Description = $"The password of a .pfx file or an encrypted PEM key (or set ${PasswordVariable}).", HelpName = "password" };
    private readonly Option<int?> _mqttsPort = new("--mqtts-port")
    {
        Description = $"Also listen for MQTT over TLS on this port ({DefaultMqttsPort} when given without a value; 0: any free port).",
        HelpName = "port",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return DefaultMqttsPort;
            }
            if (int.TryParse(result.Tokens[0].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535)
            {
                return port;
            }
            result.AddError($"--mqtts-port must be a port from 0 to 65535, got '{result.Tokens[0].Value}'.");
            return null;
        },
    };
    private readonly Option<MqttClientCertificateMode> _clientCertificates = new("--mqtt-client-certificates") { Description = "Whether MQTTS clients are asked for a certificate: none, optional (validated when presented) or required.", DefaultValueFactory = _ => MqttClientCertificateMode.None };
    private readonly Option<string?> _clientCa = new("--mqtt-client-ca") { Description = "PEM bundle of the CAs that issue MQTT client certificates (default: the system's trust store).", HelpName = "file" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _certificate, _key, _password, _mqttsPort, _clientCertificates, _clientCa })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Copies the parsed flags onto the server's options.</summary>
    public void Apply(ParseResult parse, DoppelServerOptions options)
    {
        options.CertificatePath = parse.GetValue(_certificate);
        options.CertificateKeyPath = parse.GetValue(_key);
        options.CertificatePassword = parse.GetValue(_password) ?? (Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
        options.MqttsPort = parse.GetValue(_mqttsPort);
        options.MqttClientCertificates = parse.GetValue(_clientCertificates);
        options.MqttClientCaPath = parse.GetValue(_clientCa);
    }

    /// <summary>The banner's lines about TLS: the MQTTS port and which certificate is served.</summary>
    public static IEnumerable<string> Describe(DoppelServer server, DoppelServerOptions options)
    {
        if (server.MqttsPort is { } port)
        {
            var clients = options.MqttClientCertificates == MqttClientCertificateMode.None ? "" : $", client certificates {options.MqttClientCertificates.ToString().ToLowerInvariant()}";
            yield return $"  MQTTS broker on mqtts://{options.MqttBindAddress}:{port}{clients}";
        }
        if (server.Certificate is { } certificate)
        {
            yield return certificate.IsDevelopment
                ? $"  development certificate: {certificate.Source} (trust it in clients, e.g. NODE_EXTRA_CA_CERTS, mosquitto_pub --cafile)"
                : $"  certificate: {certificate.Certificate.Subject}, valid until {certificate.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd} ({certificate.Source})";
        }
    }
}
