using Doppel.Ingest;

namespace Doppel.Tests.Ingest;

public sealed class ClockSkewTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_time_up_to_the_skew_ahead_passes_and_one_tick_more_is_refused_with_the_reason()
    {
        Assert.Null(ClockSkew.Check(Now.AddMinutes(5), Now, ClockSkew.Default));
        Assert.Null(ClockSkew.Check(Now.AddYears(-30), Now, ClockSkew.Default));

        var error = ClockSkew.Check(Now.AddMinutes(5).AddTicks(1), Now, ClockSkew.Default, "$sourceTime");

        Assert.Equal(DeadLetterReason.FutureTimestamp, error?.Code);
        Assert.StartsWith("$sourceTime 2026-05-01T12:05:00.0000001Z is 5 minutes ahead of the server's clock (2026-05-01T12:00:00Z); readings more than 5 minutes ahead are refused.", error?.Message, StringComparison.Ordinal);
        Assert.Contains(DeadLetterReason.FutureTimestamp, DeadLetterReason.All);
    }

    [Theory]
    [InlineData(0.25, "250 milliseconds")]
    [InlineData(1, "1 second")]
    [InlineData(301, "5 minutes 1 second")]
    [InlineData(3600, "1 hour")]
    [InlineData(5400.5, "1 hour 30 minutes 0.5 seconds")]
    [InlineData(86400 * 2.4, "2.4 days")]
    public void Durations_read_as_a_person_says_them(double seconds, string expected) =>
        Assert.Equal(expected, ClockSkew.Describe(TimeSpan.FromSeconds(seconds)));
}
