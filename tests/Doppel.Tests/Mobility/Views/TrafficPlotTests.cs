using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Views;
using SkiaSharp;

namespace Doppel.Tests.Mobility.Views;

public sealed class TrafficPlotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("doppel-views-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_picture_colours_each_road_by_the_mean_speed_of_the_vehicles_seen_on_it()
    {
        // Given a run where "east" flows at the limit and "north" holds 1 vehicle at the limit, then 9 standing
        var network = TrafficPictures.Network();
        TrafficFrame Frame(double time, int northVehicles, double northSpeed) =>
            new(time, [], [new EdgeView("east", 2, TrafficPictures.Limit, 0), new EdgeView("north", northVehicles, northSpeed, 0)]);
        var result = TrafficPictures.Result([Frame(0, 1, TrafficPictures.Limit), Frame(5, 9, 0)]);
        var path = Path.Combine(_folder, "run.png");

        // When its picture is written
        var written = TrafficPlot.WritePng(network, result, path);

        // Then the PNG shows "east" in the colour of the limit and "north" in that of a tenth of it (10 vehicle-frames, one at the limit)
        Assert.True(written.IsSuccess, written.Error?.Message);
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal((1600, 900), (bitmap.Width, bitmap.Height));
        var map = written.Value.Map;
        Assert.Equal(SpeedColors.ForRatio(1), TrafficPictures.Rgb(bitmap, map.ToPixel(new(150, -1.6))));
        Assert.Equal(SpeedColors.ForRatio(0.1), TrafficPictures.Rgb(bitmap, map.ToPixel(new(301.6, 150))));
        Assert.NotEqual(SpeedColors.ForRatio(0.1), SpeedColors.ForRatio(0.5));
        // And the time series are drawn on the right: many pixels that are not background
        var drawn = 0;
        for (var x = 950; x < 1600; x += 2)
        {
            for (var y = 0; y < 900; y += 2)
            {
                drawn += bitmap.GetPixel(x, y) == SKColors.White ? 0 : 1;
            }
        }
        Assert.True(drawn > 5000, $"only {drawn} drawn pixels in the time series");
    }

    [Fact]
    public void The_animation_has_one_frame_per_recorded_frame_with_roads_recoloured_and_vehicles_where_they_are()
    {
        // Given five frames where "north" slows from the limit to a standstill
        var network = TrafficPictures.Network();
        var frames = TrafficPictures.Frames(5);
        var path = Path.Combine(_folder, "run.gif");

        // When the animation is written
        var written = TrafficAnimation.WriteGif(network, frames, path, new TrafficAnimationOptions { Width = 400, FrameDelay = 0.2 });

        // Then SkiaSharp decodes five frames of the announced size, 200 ms each
        Assert.True(written.IsSuccess, written.Error?.Message);
        var decoded = TrafficPictures.DecodeFrames(path, out var info);
        Assert.Equal(5, written.Value.Frames);
        Assert.Equal(5, decoded.Count);
        Assert.All(info, f => Assert.Equal(200, f.Duration));
        Assert.All(decoded, f => Assert.Equal((written.Value.Width, written.Value.Height), (f.Width, f.Height)));
        var map = written.Value.Map;
        var north = map.ToPixel(new(301.6, 250));
        var east = map.ToPixel(new(200, -1.6));
        // And "north" goes from the colour of the limit to that of a standstill while "east" stays at the limit
        Assert.Equal(SpeedColors.ForRatio(1), TrafficPictures.Rgb(decoded[0], north));
        Assert.Equal(SpeedColors.ForRatio(0.5), TrafficPictures.Rgb(decoded[2], north));
        Assert.Equal(SpeedColors.ForRatio(0), TrafficPictures.Rgb(decoded[4], north));
        Assert.All(decoded, f => Assert.Equal(SpeedColors.ForRatio(1), TrafficPictures.Rgb(f, east)));
        // And the vehicles are drawn just behind their front bumpers, on their roads
        Assert.Equal(0x1D3557u, TrafficPictures.Rgb(decoded[0], map.ToPixel(new(301.6, 150.5))));
        Assert.Equal(0x1D3557u, TrafficPictures.Rgb(decoded[0], map.ToPixel(new(98.5, -1.6))));
        decoded.ForEach(f => f.Dispose());
    }

    [Fact]
    public void A_long_run_is_animated_with_every_nth_frame_ending_on_the_last()
    {
        var network = TrafficPictures.Network();
        var path = Path.Combine(_folder, "long.gif");

        var written = TrafficAnimation.WriteGif(network, TrafficPictures.Frames(25), path, new TrafficAnimationOptions { Width = 400, MaxFrames = 10 });

        // 25 frames, at most 10: every third (0, 3, ..., 24), 9 frames, the last the standstill
        Assert.True(written.IsSuccess, written.Error?.Message);
        var decoded = TrafficPictures.DecodeFrames(path, out _);
        Assert.Equal(9, decoded.Count);
        Assert.Equal(SpeedColors.ForRatio(0), TrafficPictures.Rgb(decoded[^1], written.Value.Map.ToPixel(new(301.6, 250))));
        decoded.ForEach(f => f.Dispose());
    }

    [Fact]
    public void Writing_where_no_folder_is_or_without_frames_is_refused_with_the_reason_and_leaves_no_file()
    {
        var network = TrafficPictures.Network();
        var frames = TrafficPictures.Frames(2);

        var noFolder = TrafficPlot.WritePng(network, TrafficPictures.Result(frames), Path.Combine(_folder, "missing", "run.png"));
        var noFrames = TrafficPlot.WritePng(network, TrafficPictures.Result([]), Path.Combine(_folder, "run.png"));
        var notGif = TrafficAnimation.WriteGif(network, frames, Path.Combine(_folder, "run.mp4"));
        var noAnimationFrames = TrafficAnimation.WriteGif(network, [], Path.Combine(_folder, "run.gif"));

        Assert.Equal("InvalidPath", noFolder.Error?.Code);
        Assert.Contains("does not exist", noFolder.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("NoFrames", noFrames.Error?.Code);
        Assert.Equal("InvalidPath", notGif.Error?.Code);
        Assert.Contains(".gif", notGif.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("NoFrames", noAnimationFrames.Error?.Code);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void The_speed_scale_runs_from_red_at_a_standstill_through_yellow_to_green_at_the_limit_in_21_steps()
    {
        Assert.Equal("#c62828", SpeedColors.Hex(SpeedColors.ForRatio(0)));
        Assert.Equal("#f9c80e", SpeedColors.Hex(SpeedColors.ForRatio(0.5)));
        Assert.Equal("#2e9e4f", SpeedColors.Hex(SpeedColors.ForRatio(1)));
        Assert.Equal(SpeedColors.ForRatio(1), SpeedColors.ForRatio(1.7));
        Assert.Equal(SpeedColors.ForRatio(0.1), SpeedColors.ForRatio(0.11));
        Assert.Equal(21, SpeedColors.All.Distinct().Count());
        Assert.Equal(SpeedColors.NoTraffic, SpeedColors.ForRatio(double.NaN));
    }
}
