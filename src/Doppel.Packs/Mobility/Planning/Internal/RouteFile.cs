using System.Globalization;
using System.Xml.Linq;
using Doppel.Packs.Mobility.Demand;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>Vehicles with explicit routes as a SUMO route file (SUMO's default passenger type), so SUMO drives exactly the demand Doppel drives.</summary>
internal static class RouteFile
{
    public static string Write(TrafficDemand demand, string comment)
    {
        var routes = new XElement("routes", new XComment($" {comment.Replace("--", "- -", StringComparison.Ordinal)} "));
        foreach (var vehicle in demand.Vehicles)
        {
            var element = new XElement("vehicle", new XAttribute("id", vehicle.Id), new XAttribute("depart", vehicle.Depart.ToString("0.##", CultureInfo.InvariantCulture)));
            if (vehicle.TypeId != TrafficDemand.DefaultTypeId)
            {
                element.Add(new XAttribute("type", vehicle.TypeId));
            }
            element.Add(new XElement("route", new XAttribute("edges", string.Join(' ', vehicle.Route))));
            routes.Add(element);
        }
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), routes).Declaration + Environment.NewLine + routes + Environment.NewLine;
    }
}
