using System.Xml.Linq;
using Doppel.Packs.Mobility.Network.Internal;

namespace Doppel.Packs.Mobility.Network;

/// <summary>
/// Reads SUMO additional files (<c>.add.xml</c>): induction loops (<c>inductionLoop</c> or <c>e1Detector</c>) and
/// traffic-light programs (<c>tlLogic</c>). Other elements (bus stops, calibrators, ...) are left alone. Given the
/// network, detectors are checked against it and a negative position counts back from the lane's end, as SUMO does.
/// </summary>
public static class SumoAdditionalReader
{
    public static Result<SumoAdditional> Read(string path, RoadNetwork? network = null) => SumoXml.ReadFile(path, (s, n) => Read(s, n, network));

    public static Result<SumoAdditional> Read(Stream xml, string name, RoadNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return SumoXml.Catch(() => Parse(SumoXml.Load(xml, name), name, network));
    }

    private static SumoAdditional Parse(XDocument document, string file, RoadNetwork? network)
    {
        var root = document.Root!;
        if (root.Name.LocalName != "additional")
        {
            throw SumoXml.Error(file, root, $"the root element is <{root.Name.LocalName}>, not <additional>: this is not a SUMO additional file.");
        }
        var detectors = new List<InductionLoop>();
        var programs = new List<SignalProgram>();
        foreach (var element in root.Elements())
        {
            switch (element.Name.LocalName)
            {
                case "inductionLoop" or "e1Detector":
                    detectors.Add(ReadDetector(file, element, network));
                    break;
                case "tlLogic":
                    var program = SumoNetworkReader.ReadSignalProgram(file, element);
                    if (network is not null && network.SignalPrograms.FirstOrDefault(p => p.Id == program.Id) is { } known
                        && known.Phases[0].State.Length != program.Phases[0].State.Length)
                    {
                        throw SumoXml.Error(file, element, $"tlLogic '{program.Id}' has {program.Phases[0].State.Length} links, the network's signal '{program.Id}' {known.Phases[0].State.Length}.");
                    }
                    if (network is not null && !network.SignalPrograms.Any(p => p.Id == program.Id))
                    {
                        throw SumoXml.Error(file, element, $"tlLogic '{program.Id}' is for a signal the network does not have.");
                    }
                    programs.Add(program);
                    break;
                default:
                    break;
            }
        }
        var duplicate = detectors.GroupBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw SumoXml.Error(file, root, $"two induction loops have the id '{duplicate.Key}'.");
        }
        return new SumoAdditional(detectors, programs);
    }

    private static InductionLoop ReadDetector(string file, XElement element, RoadNetwork? network)
    {
        var id = SumoXml.Required(file, element, "id");
        var laneId = SumoXml.Required(file, element, "lane");
        var position = SumoXml.RequiredDouble(file, element, "pos");
        var period = SumoXml.OptionalDouble(file, element, "period") ?? SumoXml.OptionalDouble(file, element, "freq") ?? 86400;
        if (period <= 0)
        {
            throw SumoXml.Error(file, element, $"induction loop '{id}' has period {period}: it must be positive.");
        }
        if (network is not null)
        {
            var lane = network.FindLane(laneId) ?? throw SumoXml.Error(file, element, $"induction loop '{id}' is on lane '{laneId}', which the network does not have.");
            if (position < 0)
            {
                position += lane.Length;
            }
            if (position < 0 || position > lane.Length)
            {
                throw SumoXml.Error(file, element, $"induction loop '{id}' is at {SumoXml.Optional(element, "pos")} m on lane '{laneId}', which is {lane.Length} m long.");
            }
        }
        return new InductionLoop(id, laneId, position, period) { File = SumoXml.Optional(element, "file") };
    }
}
