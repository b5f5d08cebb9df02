using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Doppel.Server.Mqtt.Internal;

/// <summary>
/// Gives an MQTT 3.1.1 client that connects with an empty client id and a clean session an id of its own, as the
/// specification allows (3.1.3.1) and Mosquitto does: it is the default of <c>mosquitto_pub</c>, <c>mosquitto_sub</c> and
/// many device libraries.
/// </summary>
/// <remarks>
/// MQTTnet assigns an id only to MQTT 5 clients (from <see cref="ValidatingConnectionEventArgs.AssignedClientIdentifier"/>,
/// returned in the CONNACK) and refuses every other empty id before the connection can be validated. Its connect packet is
/// not reachable from the validation event, so the id is written into the CONNECT as it is received, on the channel.
/// MQTT 5 clients are left to MQTTnet, which tells them the id it assigned; MQTT 3.1 requires an id. An MQTT 3.1.1 client
/// with an empty id and no clean session is refused as the specification requires (3.1.3.1: CONNACK return code 2).
/// </remarks>
internal sealed class ClientIdAssigningAdapter(IMqttServerAdapter inner) : IMqttServerAdapter
{
    /// <summary>The prefix of every id Doppel assigns, so that logs and dead letters show which clients sent none.</summary>
    public const string Prefix = "auto-";

    // MQTTnet's decoder refuses an empty id without a clean session citing this statement of the specification.
    private const string EmptyIdWithoutCleanSession = "MQTT-3.1.3-7";

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public static string NewId() => Prefix + Guid.NewGuid().ToString("N");

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        inner.ClientHandler = channel => ClientHandler is { } handler ? handler(new Channel(channel)) : Task.CompletedTask;
        return inner.StartAsync(options, logger);
    }

    public Task StopAsync() => inner.StopAsync();

    public void Dispose() => inner.Dispose();

    private sealed class Channel(IMqttChannelAdapter inner) : IMqttChannelAdapter
    {
        private bool _firstPacketSeen;

        public long BytesReceived => inner.BytesReceived;

        public long BytesSent => inner.BytesSent;

        public X509Certificate2 ClientCertificate => inner.ClientCertificate;

        public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

        public EndPoint LocalEndPoint => inner.LocalEndPoint;

        public bool IsSecureConnection => inner.IsSecureConnection;

        public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

        public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

        public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

        public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
        {
            if (_firstPacketSeen)
            {
                return await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
            }
            // Only the first packet may be the CONNECT; MQTTnet refuses anything else there, and a later CONNECT.
            _firstPacketSeen = true;
            MqttPacket packet;
            try
            {
                packet = await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MqttProtocolViolationException e) when (e.Message.Contains(EmptyIdWithoutCleanSession, StringComparison.Ordinal)
                && inner.PacketFormatterAdapter.ProtocolVersion == MqttProtocolVersion.V311)
            {
                // MQTTnet drops the connection while decoding; the specification wants a CONNACK with return code 2 first.
                await inner.SendPacketAsync(new MqttConnAckPacket { ReturnCode = MqttConnectReturnCode.ConnectionRefusedIdentifierRejected }, cancellationToken).ConfigureAwait(false);
                throw;
            }
            if (packet is MqttConnectPacket { CleanSession: true } connect && string.IsNullOrEmpty(connect.ClientId)
                && inner.PacketFormatterAdapter.ProtocolVersion == MqttProtocolVersion.V311)
            {
                connect.ClientId = NewId();
            }
            return packet;
        }

        public void ResetStatistics() => inner.ResetStatistics();

        public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

        public void Dispose() => inner.Dispose();
    }
}
