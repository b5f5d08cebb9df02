using System.Globalization;
using System.Text.Json;
using Doppel.Twins.Internal;

namespace Doppel.Tests.Twins;

/// <summary>Timestamps are formatted with "O", which must stay exactly ADT's TimestampFormat.</summary>
public sealed class TimestampFormatTests
{
    [Fact]
    public void Timestamps_are_formatted_as_TimestampFormat()
    {
        var random = new Random(1);
        DateTimeOffset[] samples =
        [
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(5)),
            .. Enumerable.Range(0, 1000).Select(_ => new DateTimeOffset(random.NextInt64(DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay) + TimeSpan.TicksPerDay, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(random.Next(-600, 600)))),
        ];
        foreach (var t in samples)
        {
            var expected = t.UtcDateTime.ToString(JsonText.TimestampFormat, CultureInfo.InvariantCulture);
            Assert.Equal(expected, JsonText.Timestamp(t));
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                JsonText.WriteTimestamp(writer, "t"u8, t);
                writer.WriteEndObject();
            }
            Assert.Equal(expected, JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("t").GetString());
        }
    }
}
