using Doppel.Packs.Mobility.Views.Internal;
using SkiaSharp;

namespace Doppel.Tests.Mobility.Views;

public sealed class GifWriterTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(37, 23, 2)]
    [InlineData(311, 207, 5)]
    public void Every_pixel_of_every_frame_decodes_to_its_palette_colour(int width, int height, int frames)
    {
        // Given noise over a 255-colour palette (the LZW table fills and starts afresh many times), a smooth frame, the
        // smooth frame with a block changed (written as that block only), and the same again (nothing changed)
        var random = new Random(7);
        var palette = Enumerable.Range(0, 255).Select(i => (uint)((i * 0x9E3779B1u) & 0xF8F8F8u)).Distinct().ToList();
        var images = new List<byte[]>();
        for (var f = 0; f < frames; f++)
        {
            var rgba = f == 3 ? (byte[])images[2].Clone() : new byte[width * height * 4];
            for (var i = 0; i < width * height && f != 3; i++)
            {
                var (x, y) = (i % width, i / width);
                var colour = palette[f switch
                {
                    0 => random.Next(palette.Count),
                    2 when x is >= 100 and < 140 && y is >= 50 and < 60 => (x + y) % palette.Count,
                    _ => y % palette.Count,
                }];
                rgba[i * 4] = (byte)(colour >> 16);
                rgba[(i * 4) + 1] = (byte)(colour >> 8);
                rgba[(i * 4) + 2] = (byte)colour;
                rgba[(i * 4) + 3] = 255;
            }
            images.Add(rgba);
        }
        var path = Path.Combine(Path.GetTempPath(), $"doppel-gif-{Guid.NewGuid():N}.gif");
        try
        {
            // When they are written
            using (var stream = File.Create(path))
            using (var gif = new GifWriter(stream, width, height, palette))
            {
                images.ForEach(image => gif.AddFrame(image, 7));
            }

            // Then SkiaSharp's decoder reads back exactly those pixels
            var decoded = TrafficPictures.DecodeFrames(path, out var info);
            Assert.Equal(frames, decoded.Count);
            Assert.All(info, i => Assert.Equal(70, i.Duration));
            for (var f = 0; f < frames; f++)
            {
                for (var i = 0; i < width * height; i++)
                {
                    var expected = new SKColor(images[f][i * 4], images[f][(i * 4) + 1], images[f][(i * 4) + 2]);
                    Assert.Equal(expected, decoded[f].GetPixel(i % width, i / width));
                }
            }
            decoded.ForEach(d => d.Dispose());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
