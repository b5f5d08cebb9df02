using Doppel.IntegrationTests.Support;
using SkiaSharp;

namespace Doppel.IntegrationTests.Mobility.Views;

/// <summary><c>doppel traffic run --plot FILE.png --animate FILE.gif</c>, the real command: both files written and readable, bad names refused before the run.</summary>
public sealed class TrafficRunPlotCommandTests
{
    private static readonly string Data = Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Mobility", "Data");

    [Fact]
    public async Task Traffic_run_draws_the_run_as_a_picture_and_an_animation()
    {
        var folder = Repository.TempFolder();
        var png = Path.Combine(folder, "run.png");
        var gif = Path.Combine(folder, "run.gif");

        var (code, stdout, stderr) = await DoppelProcess.RunAsync("traffic", "run", Path.Combine(Data, "grid4.net.xml"), Path.Combine(Data, "grid4.rou.xml"),
            "--end", "300", "--plot", png, "--animate", gif);

        Assert.True(code == 0, stderr + stdout);
        using (var picture = SKBitmap.Decode(png))
        {
            Assert.Equal((1600, 900), (picture.Width, picture.Height));
        }
        // Five minutes recorded every second (301 frames), at most 300 drawn: every other one, ending on the last
        using var codec = SKCodec.Create(gif);
        Assert.Equal(151, codec.FrameCount);
        Assert.Equal(800, codec.Info.Width);
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("--animate", "run.mp4", "--animate writes an animated GIF: give a file ending in .gif")]
    [InlineData("--plot", "run.jpg", "--plot writes a PNG picture: give a file ending in .png")]
    [InlineData("--plot", "missing/run.png", "does not exist")]
    public async Task Traffic_run_refuses_an_output_it_cannot_write_before_running(string option, string file, string message)
    {
        var folder = Repository.TempFolder();

        var (code, stdout, stderr) = await DoppelProcess.RunAsync("traffic", "run", Path.Combine(Data, "grid4.net.xml"), Path.Combine(Data, "grid4.rou.xml"), option, Path.Combine(folder, file));

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Statistics", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Directory.Delete(folder, recursive: true);
    }
}
