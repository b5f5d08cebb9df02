using System.Text.Json.Nodes;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Views.Internal;

namespace Doppel.Packs.Mobility.Views;

/// <summary>
/// Frames of a run as JSON, in the shape the console's map page plays (a what-if run's <c>frames</c>): an array, one
/// object per frame, <c>{"time": 10, "vehicles": [["veh0", x, y, angle, speed], ...], "edges": [["e1", vehicles,
/// meanSpeed, halting], ...]}</c>, positions in the network's metres to 0.1 m, angles in degrees clockwise from north,
/// speeds in m/s to 0.01; edges without vehicles are left out. Tuples rather than objects keep a city's run small.
/// </summary>
public static class TrafficFrameJson
{
    /// <summary>Frames at most a map should hold: a longer run keeps every n-th, the last among them.</summary>
    public const int DefaultMaxFrames = 600;

    public static JsonArray Write(IReadOnlyList<TrafficFrame> frames, int maxFrames = DefaultMaxFrames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var array = new JsonArray();
        foreach (var frame in FrameSelection.EveryNth(frames, Math.Max(1, maxFrames)))
        {
            var vehicles = new JsonArray();
            foreach (var v in frame.Vehicles)
            {
                vehicles.Add(new JsonArray(v.Id, Math.Round(v.X, 1), Math.Round(v.Y, 1), Math.Round(v.Angle), Math.Round(v.Speed, 2)));
            }
            var edges = new JsonArray();
            foreach (var e in frame.Edges)
            {
                if (e.Vehicles > 0)
                {
                    edges.Add(new JsonArray(e.Edge, e.Vehicles, Math.Round(e.MeanSpeed, 2), e.Halting));
                }
            }
            array.Add(new JsonObject { ["time"] = frame.Time, ["vehicles"] = vehicles, ["edges"] = edges });
        }
        return array;
    }
}
