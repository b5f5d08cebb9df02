using Doppel.Packs.Mobility.Views;

namespace Doppel.Tests.Mobility.Views;

public sealed class TrafficViewsTests
{
    [Theory]
    [InlineData(false, false, 0, 3600.0, 0, null)]
    [InlineData(false, true, 0, 3600.0, 0, 12.0)] // an hour in 300 frames
    [InlineData(false, true, 0, 120.0, 0, 1.0)] // never more than once a second
    [InlineData(true, false, 0, 3600.0, 0, 18.0)] // a picture needs fewer
    [InlineData(true, true, 600, null, 3000, 10.0)] // until all arrive: the last departure and ten minutes
    public void A_run_records_as_many_frames_as_are_drawn(bool picture, bool animation, double begin, double? end, double lastDeparture, double? period)
    {
        Assert.Equal(period, TrafficViews.FramePeriod(picture, animation, begin, end, lastDeparture));
    }

    [Fact]
    public void Output_files_the_writers_would_refuse_are_refused_before_the_run()
    {
        var folder = Path.GetTempPath();

        Assert.Null(TrafficViews.Check(Path.Combine(folder, "run.png"), Path.Combine(folder, "run.GIF")));
        Assert.Null(TrafficViews.Check(null, null));
        Assert.Contains("ending in .png", TrafficViews.Check(Path.Combine(folder, "run.jpg"), null)!.Message, StringComparison.Ordinal);
        Assert.Contains("ending in .gif", TrafficViews.Check(null, Path.Combine(folder, "run.mp4"))!.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", TrafficViews.Check(Path.Combine(folder, "no-such-folder-here", "run.png"), null)!.Message, StringComparison.Ordinal);
    }
}
