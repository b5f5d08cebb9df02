using System.Xml.Linq;
using Doppel.Packs.Mobility.Network.Internal;
using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility.Output;

/// <summary>Reads SUMO's <c>tripinfo</c> output (SUMO's own runs, or Doppel's written by <see cref="TripInfoWriter"/>) into trips, in file order (arrival order).</summary>
public static class TripInfoReader
{
    public static Result<IReadOnlyList<TripInfo>> Read(string path) => SumoXml.ReadFile(path, Read);

    public static Result<IReadOnlyList<TripInfo>> Read(Stream xml, string name)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return SumoXml.Catch(() => Parse(SumoXml.Load(xml, name), name));
    }

    private static IReadOnlyList<TripInfo> Parse(XDocument document, string file)
    {
        var root = document.Root!;
        if (root.Name.LocalName != "tripinfos")
        {
            throw SumoXml.Error(file, root, $"the root element is <{root.Name.LocalName}>, not <tripinfos>: this is not SUMO tripinfo output.");
        }
        var trips = new List<TripInfo>();
        foreach (var e in root.Elements("tripinfo"))
        {
            trips.Add(new TripInfo(
                SumoXml.Required(file, e, "id"),
                SumoXml.Optional(e, "vType") ?? "",
                SumoXml.RequiredDouble(file, e, "depart"),
                SumoXml.Double(file, e, "departDelay", 0),
                SumoXml.RequiredDouble(file, e, "arrival"),
                SumoXml.RequiredDouble(file, e, "duration"),
                SumoXml.Double(file, e, "routeLength", 0),
                SumoXml.Double(file, e, "waitingTime", 0),
                SumoXml.Int(file, e, "waitingCount", 0),
                SumoXml.Double(file, e, "timeLoss", 0),
                SumoXml.Optional(e, "departLane") ?? "",
                SumoXml.Optional(e, "arrivalLane") ?? "")
            {
                DepartPos = SumoXml.Double(file, e, "departPos", 0),
                DepartSpeed = SumoXml.Double(file, e, "departSpeed", 0),
                ArrivalPos = SumoXml.Double(file, e, "arrivalPos", 0),
                ArrivalSpeed = SumoXml.Double(file, e, "arrivalSpeed", 0),
                SpeedFactor = SumoXml.Double(file, e, "speedFactor", 1),
                RerouteCount = SumoXml.Int(file, e, "rerouteNo", 0),
            });
        }
        return trips;
    }
}
