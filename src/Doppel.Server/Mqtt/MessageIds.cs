using MQTTnet;

namespace Doppel.Server.Mqtt;

/// <summary>Reads the id a publisher gave its message: the MQTT 5 user property <c>Message-Id</c>, as ADT's telemetry header.</summary>
internal static class MessageIds
{
    public static string? From(MqttApplicationMessage message)
    {
        if (message.UserProperties is not { Count: > 0 } properties)
        {
            return null;
        }
        foreach (var property in properties)
        {
            if (string.Equals(property.Name, "Message-Id", StringComparison.OrdinalIgnoreCase))
            {
                return System.Text.Encoding.UTF8.GetString(property.ValueBuffer.Span);
            }
        }
        return null;
    }
}
