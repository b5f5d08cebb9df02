using System.Globalization;

namespace Doppel.Packs.Mobility.Views;

/// <summary>
/// The colour of a road by how fast its vehicles drive, as a share of the road's speed limit: red at a standstill,
/// yellow at half the limit, green at the limit. Shares are cut to 21 steps (0, 0.05, ..., 1), so a picture, an
/// animation's palette and the console's map (map.js holds the same stops and rounds halves up as here) show one colour for one speed.
/// </summary>
public static class SpeedColors
{
    /// <summary>How many steps the scale has between a standstill and the limit.</summary>
    public const int Steps = 20;

    /// <summary>A road no vehicle drove on (nothing to measure).</summary>
    public const uint NoTraffic = 0xB4BAC1;

    private static readonly (double At, uint Colour)[] Stops = [(0, 0xC62828), (0.5, 0xF9C80E), (1, 0x2E9E4F)];

    /// <summary>The colour (0xRRGGBB) of a speed that is <paramref name="ratio"/> of the limit (cut to 0..1, rounded to a step).</summary>
    public static uint ForRatio(double ratio)
    {
        if (double.IsNaN(ratio))
        {
            return NoTraffic;
        }
        var step = Math.Round(Math.Clamp(ratio, 0, 1) * Steps, MidpointRounding.AwayFromZero) / Steps;
        for (var i = 1; i < Stops.Length; i++)
        {
            if (step <= Stops[i].At)
            {
                var (a, from) = Stops[i - 1];
                var (b, to) = Stops[i];
                return Mix(from, to, (step - a) / (b - a));
            }
        }
        return Stops[^1].Colour;
    }

    /// <summary>Every colour of the scale, slowest first.</summary>
    public static IReadOnlyList<uint> All { get; } = [.. Enumerable.Range(0, Steps + 1).Select(i => ForRatio((double)i / Steps))];

    /// <summary>A colour as CSS writes it (<c>#c62828</c>).</summary>
    public static string Hex(uint colour) => "#" + colour.ToString("x6", CultureInfo.InvariantCulture);

    private static uint Mix(uint from, uint to, double t)
    {
        static uint Channel(uint c, int shift) => (c >> shift) & 0xFF;
        uint Blend(int shift) => (uint)Math.Round(Channel(from, shift) + ((Channel(to, shift) - (double)Channel(from, shift)) * t), MidpointRounding.AwayFromZero);
        return (Blend(16) << 16) | (Blend(8) << 8) | Blend(0);
    }
}
