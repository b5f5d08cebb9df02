using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Doppel.IntegrationTests.Support;

/// <summary>Real MQTTnet clients for the tests.</summary>
internal static class Mqtt
{
    public static async Task<IMqttClient> ConnectAsync(int port, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500, bool cleanSession = true)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithCleanSession(cleanSession)
            .WithSessionExpiryInterval(cleanSession ? 0u : 3600u)
            .Build();
        await client.ConnectAsync(options);
        return client;
    }

    public static Task<MqttClientPublishResult> PublishAsync(this IMqttClient client, string topic, string payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce, string? messageId = null, bool dup = false)
    {
        var builder = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos);
        if (messageId is not null)
        {
            builder.WithUserProperty("Message-Id", System.Text.Encoding.UTF8.GetBytes(messageId));
        }
        var message = builder.Build();
        message.Dup = dup;
        return client.PublishAsync(message);
    }
}
