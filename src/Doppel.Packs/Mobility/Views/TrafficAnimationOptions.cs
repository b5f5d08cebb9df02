namespace Doppel.Packs.Mobility.Views;

/// <summary>How an animation of a run is drawn.</summary>
public sealed record TrafficAnimationOptions
{
    /// <summary>The picture's width in pixels; its height follows the network's shape (plus a band for the clock and the legend).</summary>
    public int Width { get; init; } = 800;

    /// <summary>At most this many frames: a longer run shows every n-th recorded frame (the last always among them).</summary>
    public int MaxFrames { get; init; } = 300;

    /// <summary>How long each frame shows (s); GIF counts in hundredths.</summary>
    public double FrameDelay { get; init; } = 0.1;

    /// <summary>The length vehicles are drawn with (m); SUMO's passenger car is 5 m.</summary>
    public double VehicleLength { get; init; } = 5;
}
