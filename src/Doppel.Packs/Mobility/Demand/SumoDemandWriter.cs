using System.Globalization;
using System.Xml;
using Doppel.Packs.Mobility.Output.Internal;

namespace Doppel.Packs.Mobility.Demand;

/// <summary>
/// Writes demand as a SUMO routes file: the vehicle types that differ from SUMO's default, then every vehicle with its
/// route inline, in departure order. SUMO runs it unchanged, and <see cref="SumoDemandReader"/> reads it back equal.
/// </summary>
public static class SumoDemandWriter
{
    public static void Write(TextWriter writer, TrafficDemand demand)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(demand);
        using var xml = SumoOutput.Create(writer);
        SumoOutput.Root(xml, "routes", "routes_file.xsd");
        var used = demand.Vehicles.Select(v => v.TypeId).ToHashSet(StringComparer.Ordinal);
        foreach (var type in demand.Types.Values.Where(t => t != new VehicleType(t.Id) || (used.Contains(t.Id) && t.Id != TrafficDemand.DefaultTypeId)).OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            WriteType(xml, type);
        }
        foreach (var vehicle in demand.Vehicles.Select((v, i) => (v, i)).OrderBy(p => p.v.Depart).ThenBy(p => p.i).Select(p => p.v))
        {
            xml.WriteStartElement("vehicle");
            xml.WriteAttributeString("id", vehicle.Id);
            if (vehicle.TypeId != TrafficDemand.DefaultTypeId)
            {
                xml.WriteAttributeString("type", vehicle.TypeId);
            }
            xml.WriteAttributeString("depart", Number(vehicle.Depart));
            Optional(xml, "departLane", vehicle.DepartLane);
            Optional(xml, "departPos", vehicle.DepartPos);
            Optional(xml, "departSpeed", vehicle.DepartSpeed);
            Optional(xml, "arrivalPos", vehicle.ArrivalPos);
            xml.WriteStartElement("route");
            xml.WriteAttributeString("edges", string.Join(' ', vehicle.Route));
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    public static Result<string> Write(string path, TrafficDemand demand) => SumoOutput.ToFile(path, w => Write(w, demand));

    private static void WriteType(XmlWriter xml, VehicleType type)
    {
        xml.WriteStartElement("vType");
        xml.WriteAttributeString("id", type.Id);
        xml.WriteAttributeString("vClass", type.VehicleClass);
        xml.WriteAttributeString("length", Number(type.Length));
        xml.WriteAttributeString("minGap", Number(type.MinGap));
        xml.WriteAttributeString("maxSpeed", Number(type.MaxSpeed));
        xml.WriteAttributeString("accel", Number(type.Accel));
        xml.WriteAttributeString("decel", Number(type.Decel));
        xml.WriteAttributeString("emergencyDecel", Number(type.EmergencyDecel));
        xml.WriteAttributeString("sigma", Number(type.Sigma));
        xml.WriteAttributeString("tau", Number(type.Tau));
        xml.WriteAttributeString("speedFactor", Number(type.SpeedFactor));
        xml.WriteAttributeString("speedDev", Number(type.SpeedDeviation));
        xml.WriteAttributeString("carFollowModel", type.CarFollowModel);
        if (type.CarFollowModel == "IDM")
        {
            xml.WriteAttributeString("delta", Number(type.Delta));
        }
        xml.WriteAttributeString("laneChangeModel", type.LaneChangeModel);
        xml.WriteEndElement();
    }

    private static void Optional(XmlWriter xml, string attribute, string? value)
    {
        if (value is not null)
        {
            xml.WriteAttributeString(attribute, value);
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
