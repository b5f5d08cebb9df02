namespace Doppel.Packs.Mobility.Views;

/// <summary>A picture or animation written to a file: its size, how many frames it has, and where the map lies in it.</summary>
/// <param name="Path">The file written.</param>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
/// <param name="Frames">1 for a picture; the frames of an animation.</param>
/// <param name="Map">Where network points land in the picture (in every frame of an animation).</param>
public sealed record TrafficPicture(string Path, int Width, int Height, int Frames, NetworkProjection Map);
