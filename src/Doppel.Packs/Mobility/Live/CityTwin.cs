using System.Text;

namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// The city's twins as the live part writes and reads them (samples/city/models.json): model ids, twin ids, property,
/// telemetry and relationship names. A twin id is its kind and the SUMO id (<see cref="RoadId"/>): SUMO lets an edge and
/// a junction share an id, and a twin id must be unique.
/// </summary>
public static class CityTwin
{
    public const string ModelId = "dtmi:doppel:mobility:City;1";

    public const string RoadModelId = "dtmi:doppel:mobility:Road;1";

    public const string IntersectionModelId = "dtmi:doppel:mobility:Intersection;1";

    public const string SignalModelId = "dtmi:doppel:mobility:TrafficSignal;1";

    public const string DetectorModelId = "dtmi:doppel:mobility:Detector;1";

    /// <summary>The smart-cities ontology's road segment (ETSI NGSI-LD), which <see cref="RoadModelId"/> extends.</summary>
    public const string RoadSegmentModelId = "dtmi:digitaltwins:ngsi_ld:city:RoadSegment;1";

    /// <summary>City → its roads, intersections, signals and detectors.</summary>
    public const string Contains = "contains";

    /// <summary>Road → the intersection it starts at.</summary>
    public const string StartsAt = "startsAt";

    /// <summary>Road → the intersection it leads to.</summary>
    public const string LeadsTo = "leadsTo";

    /// <summary>Signal → the intersections it drives.</summary>
    public const string Controls = "controls";

    /// <summary>Detector → the road whose lane it lies on.</summary>
    public const string Monitors = "monitors";

    // City properties.
    public const string Name = "name";
    public const string NetFile = "netFile";
    public const string EstimatedAt = "estimatedAt";
    public const string DetectorsReporting = "detectorsReporting";

    /// <summary>City telemetry: the vehicles on its roads at a moment (id, x, y, angle, speed each), as the live replay publishes them.</summary>
    public const string Vehicles = "vehicles";

    // Road properties (the network's).
    public const string Edge = "edge";
    public const string From = "from";
    public const string To = "to";
    public const string Lanes = "lanes";
    public const string Length = "length";
    public const string SpeedLimit = "speedLimit";
    public const string Priority = "priority";
    public const string Shape = "shape";

    /// <summary>Road: the fraction of its vehicles turning into each next road (a map keyed by road twin id).</summary>
    public const string Turns = "turns";

    /// <summary>Road: the prior mean rate of trips starting on it (veh/h).</summary>
    public const string Departures = "departures";

    // Road properties the follower writes every detector period (with EstimatedAt).
    public const string Flow = "flow";
    public const string FlowLower = "flowLower";
    public const string FlowUpper = "flowUpper";
    public const string MeanSpeed = "meanSpeed";
    public const string Density = "density";
    public const string Observed = "observed";

    // Intersection properties.
    public const string Junction = "junction";
    public const string JunctionType = "type";
    public const string X = "x";
    public const string Y = "y";

    // Signal properties; State and Phase are reported by the city.
    public const string Signal = "signal";
    public const string ProgramId = "programId";
    public const string Program = "program";
    public const string CycleTime = "cycleTime";
    public const string State = "state";
    public const string Phase = "phase";

    // Detector properties and telemetry (SUMO's e1 interval fields).
    public const string Detector = "detector";
    public const string Lane = "lane";
    public const string Position = "position";
    public const string Period = "period";
    public const string Count = "count";
    public const string DetectorFlow = "flow";
    public const string Occupancy = "occupancy";
    public const string Speed = "speed";

    /// <summary>The twin id of the road made from a SUMO edge.</summary>
    public static string RoadId(string edge) => "road-" + Sanitise(edge);

    /// <summary>The twin id of the intersection made from a SUMO junction.</summary>
    public static string IntersectionId(string junction) => "intersection-" + Sanitise(junction);

    /// <summary>The twin id of the signal made from a SUMO traffic light.</summary>
    public static string SignalId(string trafficLight) => "signal-" + Sanitise(trafficLight);

    /// <summary>The twin id of the twin made from a SUMO detector.</summary>
    public static string DetectorId(string detector) => "detector-" + Sanitise(detector);

    /// <summary>
    /// A SUMO id as the tail of a twin id: letters, digits, '_', '.', '-' kept, anything else (SUMO allows '#', ':',
    /// spaces...) written as '~' and its UTF-16 code in hex, so two SUMO ids never give one twin id and ids stay URL-safe.
    /// </summary>
    public static string Sanitise(string sumoId)
    {
        ArgumentNullException.ThrowIfNull(sumoId);
        if (sumoId.All(IsKept))
        {
            return sumoId;
        }
        var text = new StringBuilder(sumoId.Length + 8);
        foreach (var c in sumoId)
        {
            if (IsKept(c))
            {
                text.Append(c);
            }
            else
            {
                text.Append('~').Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    private static bool IsKept(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
