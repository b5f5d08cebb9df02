using Doppel.IntegrationTests.Support;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Views;
using SkiaSharp;

namespace Doppel.IntegrationTests.Mobility.Views;

/// <summary>
/// The picture and the animation of a real run of the simulator (the 4×4 signalised grid and its demand, generated
/// with SUMO's tools): decoded with SkiaSharp, every frame is there, every vehicle is drawn where the simulator put it,
/// and each road is in the colour of the speed its vehicles drove.
/// </summary>
public sealed class RunPicturesTests : IDisposable
{
    private static readonly string Data = Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Mobility", "Data");
    private readonly string _folder = Repository.TempFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_runs_animation_draws_every_vehicle_where_the_simulator_put_it_and_its_picture_colours_the_roads_by_their_speed()
    {
        // Given five minutes of the grid's demand simulated with a frame every 10 s
        var network = SumoNetworkReader.Read(Path.Combine(Data, "grid4.net.xml")).Value!;
        var demand = SumoDemandReader.Read(network, [Path.Combine(Data, "grid4.rou.xml")]).Value!;
        var result = new TrafficSimulation(network, demand, new TrafficOptions { End = 300, FramePeriod = 10, Seed = 7 }).Run();
        Assert.True(result.Frames.Count >= 30, $"{result.Frames.Count} frames");
        var busy = result.Frames[^1];
        Assert.True(busy.Vehicles.Count >= 10, $"{busy.Vehicles.Count} vehicles at the end");

        // When its animation and picture are written
        var gif = TrafficAnimation.WriteGif(network, result.Frames, Path.Combine(_folder, "run.gif"));
        var png = TrafficPlot.WritePng(network, result, Path.Combine(_folder, "run.png"));

        // Then the GIF holds a frame per recorded frame, and in the last one every vehicle's body (just behind its front) is drawn
        Assert.True(gif.IsSuccess, gif.Error?.Message);
        using var codec = SKCodec.Create(gif.Value.Path);
        Assert.Equal(result.Frames.Count, codec.FrameCount);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var last = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, last.GetPixels(), new SKCodecOptions(codec.FrameCount - 1)));
        foreach (var vehicle in busy.Vehicles)
        {
            var heading = vehicle.Angle * Math.PI / 180;
            var body = new Point2(vehicle.X - (1.5 * Math.Sin(heading)), vehicle.Y - (1.5 * Math.Cos(heading)));
            var (x, y) = gif.Value.Map.ToPixel(body);
            Assert.True(Rgb(last, x, y) == 0x1D3557, $"vehicle {vehicle.Id} at ({vehicle.X:0.#}, {vehicle.Y:0.#}) heading {vehicle.Angle:0}° is not drawn at pixel ({x:0}, {y:0})");
        }

        // And the PNG colours each road its vehicles drove in the colour of their mean speed there, the others grey
        Assert.True(png.IsSuccess, png.Error?.Message);
        using var picture = SKBitmap.Decode(png.Value.Path);
        var ratios = TrafficPlot.MeanSpeedRatios(network, result.Frames);
        var checkedRoads = 0;
        foreach (var edge in network.Edges.Where(e => !e.IsInternal))
        {
            // The middle of the rightmost lane, where no other road crosses
            var lane = edge.Lanes[0].Shape;
            var middle = new Point2((lane[0].X + lane[^1].X) / 2, (lane[0].Y + lane[^1].Y) / 2);
            var (x, y) = png.Value.Map.ToPixel(middle);
            var expected = ratios.TryGetValue(edge.Id, out var ratio) ? SpeedColors.ForRatio(ratio) : SpeedColors.NoTraffic;
            Assert.True(Rgb(picture, x, y) == expected, $"road {edge.Id}: {Rgb(picture, x, y):x6} where {expected:x6} was expected");
            checkedRoads++;
        }
        Assert.True(ratios.Count > 10 && ratios.Values.Distinct().Count() > 3, $"{ratios.Count} roads driven, {ratios.Values.Distinct().Count()} speeds");
        Assert.Equal(network.Edges.Count(e => !e.IsInternal), checkedRoads);
    }

    private static uint Rgb(SKBitmap bitmap, double x, double y)
    {
        var pixel = bitmap.GetPixel((int)Math.Round(x), (int)Math.Round(y));
        return ((uint)pixel.Red << 16) | ((uint)pixel.Green << 8) | pixel.Blue;
    }
}
