using System.Xml.Linq;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Network.Internal;

namespace Doppel.Packs.Mobility.Demand;

/// <summary>
/// Reads SUMO demand (<c>.rou.xml</c>, <c>.trips.xml</c>): vehicle types (and type distributions), named and inline
/// routes, vehicles, trips (routed with <see cref="RoadRouter"/> as duarouter would) and flows (period, vehsPerHour,
/// number or probability, between begin and end), expanded into vehicles sorted as SUMO loads them: by departure,
/// then in file order. Routes are checked against the network: unknown edges and edges no connection joins are errors.
/// </summary>
public static class SumoDemandReader
{
    /// <summary>Reads the files in order, as <c>sumo -r a,b</c> does; <paramref name="seed"/> draws probabilistic flows and type distributions.</summary>
    public static Result<TrafficDemand> Read(RoadNetwork network, IEnumerable<string> paths, ulong seed = 42)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(paths);
        var state = new DemandState(network, seed);
        foreach (var path in paths)
        {
            var read = SumoXml.ReadFile(path, (stream, name) => SumoXml.Catch(() => state.Add(SumoXml.Load(stream, name), name)));
            if (!read.IsSuccess)
            {
                return Result<TrafficDemand>.Fail(read.Error);
            }
        }
        return Result<TrafficDemand>.Ok(state.Build());
    }

    /// <summary>Reads one demand document from a stream (<paramref name="name"/> names it in errors).</summary>
    public static Result<TrafficDemand> Read(RoadNetwork network, Stream xml, string name, ulong seed = 42)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(xml);
        var state = new DemandState(network, seed);
        return SumoXml.Catch(() =>
        {
            state.Add(SumoXml.Load(xml, name), name);
            return state.Build();
        });
    }

    private sealed class DemandState(RoadNetwork network, ulong seed)
    {
        private readonly Dictionary<string, VehicleType> types = new(StringComparer.Ordinal) { [TrafficDemand.DefaultTypeId] = new VehicleType(TrafficDemand.DefaultTypeId) };
        private readonly Dictionary<string, (string Id, double Probability)[]> typeDistributions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IReadOnlyList<string>> routes = new(StringComparer.Ordinal);
        private readonly List<VehicleDemand> vehicles = [];
        private readonly HashSet<string> vehicleIds = new(StringComparer.Ordinal);
        private readonly Random random = new(unchecked((int)(seed ^ (seed >> 32))));
        private RoadRouter? router;

        private RoadRouter Router => router ??= new RoadRouter(network);

        public bool Add(XDocument document, string file)
        {
            var root = document.Root!;
            if (root.Name.LocalName != "routes" && root.Name.LocalName != "additional")
            {
                throw SumoXml.Error(file, root, $"the root element is <{root.Name.LocalName}>, not <routes>: this is not SUMO demand.");
            }
            foreach (var element in root.Elements())
            {
                AddElement(file, element);
            }
            return true;
        }

        private void AddElement(string file, XElement element)
        {
            switch (element.Name.LocalName)
            {
                case "vType":
                    AddType(file, element);
                    break;
                case "vTypeDistribution":
                    AddTypeDistribution(file, element);
                    break;
                case "route":
                    var id = SumoXml.Required(file, element, "id");
                    if (!routes.TryAdd(id, RouteEdges(file, element)))
                    {
                        throw SumoXml.Error(file, element, $"two routes have the id '{id}'.");
                    }
                    break;
                case "vehicle":
                    AddVehicle(file, element, VehicleRoute(file, element));
                    break;
                case "trip":
                    AddVehicle(file, element, TripRoute(file, element));
                    break;
                case "flow":
                    AddFlow(file, element);
                    break;
                case "interval":
                    foreach (var child in element.Elements())
                    {
                        AddElement(file, child);
                    }
                    break;
                case "param":
                    break;
                default:
                    throw SumoXml.Error(file, element, $"<{element.Name.LocalName}> is not supported (vType, vTypeDistribution, route, vehicle, trip, flow, interval are).");
            }
        }

        private void AddType(string file, XElement element)
        {
            var id = SumoXml.Required(file, element, "id");
            var type = ReadType(file, element, id);
            if (!types.TryAdd(id, type))
            {
                if (id == TrafficDemand.DefaultTypeId && types[id] == new VehicleType(id))
                {
                    types[id] = type; // the default type may be redefined once, as SUMO allows
                }
                else
                {
                    throw SumoXml.Error(file, element, $"two vTypes have the id '{id}'.");
                }
            }
        }

        private static VehicleType ReadType(string file, XElement element, string id)
        {
            var type = new VehicleType(id);
            var speedFactor = type.SpeedFactor;
            var speedDeviation = SumoXml.OptionalDouble(file, element, "speedDev");
            if (SumoXml.Optional(element, "speedFactor") is { } factor)
            {
                if (factor.StartsWith("normc(", StringComparison.Ordinal) || factor.StartsWith("norm(", StringComparison.Ordinal))
                {
                    var arguments = factor[(factor.IndexOf('(', StringComparison.Ordinal) + 1)..].TrimEnd(')').Split(',');
                    speedFactor = SumoXml.ParseDouble(file, element, "speedFactor", arguments[0].Trim());
                    speedDeviation = arguments.Length > 1 ? SumoXml.ParseDouble(file, element, "speedFactor", arguments[1].Trim()) : 0;
                }
                else
                {
                    speedFactor = SumoXml.ParseDouble(file, element, "speedFactor", factor);
                }
            }
            var carFollow = SumoXml.Optional(element, "carFollowModel") ?? type.CarFollowModel;
            if (carFollow is not ("Krauss" or "IDM"))
            {
                throw SumoXml.Error(file, element, $"vType '{id}' uses carFollowModel '{carFollow}': Krauss and IDM are simulated.");
            }
            type = type with
            {
                VehicleClass = SumoXml.Optional(element, "vClass") ?? type.VehicleClass,
                Length = SumoXml.Double(file, element, "length", type.Length),
                MinGap = SumoXml.Double(file, element, "minGap", type.MinGap),
                MaxSpeed = SumoXml.Double(file, element, "maxSpeed", type.MaxSpeed),
                Accel = SumoXml.Double(file, element, "accel", type.Accel),
                Decel = SumoXml.Double(file, element, "decel", type.Decel),
                EmergencyDecel = SumoXml.Double(file, element, "emergencyDecel", type.EmergencyDecel),
                Sigma = SumoXml.Double(file, element, "sigma", type.Sigma),
                Tau = SumoXml.Double(file, element, "tau", type.Tau),
                SpeedFactor = speedFactor,
                SpeedDeviation = speedDeviation ?? type.SpeedDeviation,
                CarFollowModel = carFollow,
                Delta = SumoXml.Double(file, element, "delta", type.Delta),
                LaneChangeModel = SumoXml.Optional(element, "laneChangeModel") ?? type.LaneChangeModel,
            };
            if (type.Length <= 0 || type.MaxSpeed <= 0 || type.Accel <= 0 || type.Decel <= 0 || type.MinGap < 0 || type.Tau <= 0 || type.Sigma is < 0 or > 1)
            {
                throw SumoXml.Error(file, element, $"vType '{id}' needs a positive length, maxSpeed, accel, decel and tau, a minGap not negative and sigma in [0, 1].");
            }
            return type;
        }

        private void AddTypeDistribution(string file, XElement element)
        {
            var id = SumoXml.Required(file, element, "id");
            var members = new List<(string, double)>();
            foreach (var member in element.Elements("vType"))
            {
                AddType(file, member);
                members.Add((SumoXml.Required(file, member, "id"), SumoXml.Double(file, member, "probability", 1)));
            }
            foreach (var name in SumoXml.List(SumoXml.Optional(element, "vTypes")))
            {
                members.Add((types.ContainsKey(name) ? name : throw SumoXml.Error(file, element, $"vTypeDistribution '{id}' names vType '{name}', which is not defined before it."), 1));
            }
            if (members.Count == 0 || members.Sum(m => m.Item2) <= 0)
            {
                throw SumoXml.Error(file, element, $"vTypeDistribution '{id}' has no vType with a positive probability.");
            }
            typeDistributions[id] = [.. members];
        }

        private string TypeOf(string file, XElement element)
        {
            var id = SumoXml.Optional(element, "type") ?? TrafficDemand.DefaultTypeId;
            if (types.ContainsKey(id))
            {
                return id;
            }
            if (typeDistributions.TryGetValue(id, out var members))
            {
                var draw = random.NextDouble() * members.Sum(m => m.Probability);
                foreach (var (member, probability) in members)
                {
                    draw -= probability;
                    if (draw < 0)
                    {
                        return member;
                    }
                }
                return members[^1].Id;
            }
            throw SumoXml.Error(file, element, $"<{element.Name.LocalName}> uses type '{id}', which no vType before it defines.");
        }

        private IReadOnlyList<string> RouteEdges(string file, XElement route)
        {
            var edges = SumoXml.List(SumoXml.Required(file, route, "edges"));
            if (edges.Length == 0)
            {
                throw SumoXml.Error(file, route, "a route with no edge.");
            }
            foreach (var edge in edges)
            {
                if (network.FindEdge(edge) is not { IsInternal: false })
                {
                    throw SumoXml.Error(file, route, $"the route names edge '{edge}', which the network does not have.");
                }
            }
            for (var i = 1; i < edges.Length; i++)
            {
                if (!Router.Connects(edges[i - 1], edges[i]))
                {
                    throw SumoXml.Error(file, route, $"the route goes from edge '{edges[i - 1]}' to '{edges[i]}', but no connection joins them.");
                }
            }
            return edges;
        }

        private IReadOnlyList<string> VehicleRoute(string file, XElement element)
        {
            if (element.Element("route") is { } inline)
            {
                return RouteEdges(file, inline);
            }
            var name = SumoXml.Optional(element, "route")
                ?? throw SumoXml.Error(file, element, $"vehicle '{SumoXml.Optional(element, "id")}' has neither a 'route' attribute nor a <route> inside.");
            return routes.TryGetValue(name, out var edges)
                ? edges
                : throw SumoXml.Error(file, element, $"vehicle '{SumoXml.Optional(element, "id")}' uses route '{name}', which no route before it defines.");
        }

        private IReadOnlyList<string> TripRoute(string file, XElement element)
        {
            if (SumoXml.Optional(element, "fromJunction") is not null || SumoXml.Optional(element, "toJunction") is not null || SumoXml.Optional(element, "fromTaz") is not null)
            {
                throw SumoXml.Error(file, element, "trips between junctions or TAZ are not supported: give 'from' and 'to' edges.");
            }
            var stops = new List<string> { SumoXml.Required(file, element, "from") };
            stops.AddRange(SumoXml.List(SumoXml.Optional(element, "via")));
            stops.Add(SumoXml.Required(file, element, "to"));
            foreach (var edge in stops)
            {
                if (network.FindEdge(edge) is not { IsInternal: false })
                {
                    throw SumoXml.Error(file, element, $"the trip names edge '{edge}', which the network does not have.");
                }
            }
            var route = new List<string> { stops[0] };
            for (var i = 1; i < stops.Count; i++)
            {
                var leg = Router.Route(stops[i - 1], stops[i])
                    ?? throw SumoXml.Error(file, element, $"no route leads from edge '{stops[i - 1]}' to '{stops[i]}'.");
                route.AddRange(leg.Skip(1));
            }
            return route;
        }

        private void AddVehicle(string file, XElement element, IReadOnlyList<string> route)
        {
            var id = SumoXml.Required(file, element, "id");
            var departText = SumoXml.Required(file, element, "depart");
            var depart = SumoXml.ParseDouble(file, element, "depart", departText);
            Add(file, element, Vehicle(file, element, id, depart, route));
        }

        private VehicleDemand Vehicle(string file, XElement element, string id, double depart, IReadOnlyList<string> route) =>
            new(id, TypeOf(file, element), depart, route)
            {
                DepartLane = SumoXml.Optional(element, "departLane"),
                DepartSpeed = SumoXml.Optional(element, "departSpeed"),
                DepartPos = SumoXml.Optional(element, "departPos"),
                ArrivalPos = SumoXml.Optional(element, "arrivalPos"),
            };

        private void Add(string file, XElement element, VehicleDemand vehicle)
        {
            if (!vehicleIds.Add(vehicle.Id))
            {
                throw SumoXml.Error(file, element, $"two vehicles have the id '{vehicle.Id}'.");
            }
            if (vehicle.Depart < 0)
            {
                throw SumoXml.Error(file, element, $"vehicle '{vehicle.Id}' departs at {vehicle.Depart} s: departures are not negative.");
            }
            vehicles.Add(vehicle);
        }

        private void AddFlow(string file, XElement element)
        {
            var id = SumoXml.Required(file, element, "id");
            var route = element.Element("route") is not null || SumoXml.Optional(element, "route") is not null
                ? VehicleRoute(file, element)
                : TripRoute(file, element);
            var begin = SumoXml.Double(file, element, "begin", 0);
            var number = SumoXml.Int(file, element, "number", -1);
            var period = SumoXml.OptionalDouble(file, element, "period");
            var perHour = SumoXml.OptionalDouble(file, element, "vehsPerHour");
            var probability = SumoXml.OptionalDouble(file, element, "probability");
            var given = (period is null ? 0 : 1) + (perHour is null ? 0 : 1) + (probability is null ? 0 : 1);
            if (given > 1 || (given == 0 && number < 0))
            {
                throw SumoXml.Error(file, element, $"flow '{id}' needs exactly one of period, vehsPerHour, probability (or number with end).");
            }
            var endText = SumoXml.OptionalDouble(file, element, "end");
            if (period is not null && number >= 0 && endText is null)
            {
                endText = begin + (number * period.Value);
            }
            var end = endText ?? 86400;
            if (end < begin || period is <= 0 || perHour is <= 0 || probability is < 0 or > 1)
            {
                throw SumoXml.Error(file, element, $"flow '{id}' needs end >= begin, a positive period or vehsPerHour and a probability in [0, 1].");
            }
            var limit = number >= 0 ? number : int.MaxValue;
            var made = 0;
            if (probability is { } p)
            {
                // SUMO draws once per simulation second of the interval.
                for (var t = begin; t < end && made < limit; t += 1)
                {
                    if (random.NextDouble() < p)
                    {
                        Add(file, element, Vehicle(file, element, $"{id}.{made}", t, route));
                        made++;
                    }
                }
                return;
            }
            var step = period ?? (perHour is { } vph ? 3600 / vph : (end - begin) / Math.Max(1, number));
            for (var i = 0; i < limit; i++)
            {
                var depart = begin + (i * step);
                if (depart >= end && !(number >= 0 && period is null && perHour is null))
                {
                    break;
                }
                Add(file, element, Vehicle(file, element, $"{id}.{i}", depart, route));
            }
        }

        public TrafficDemand Build()
        {
            // SUMO inserts by departure time, and in load order among equal times: a stable sort.
            var sorted = vehicles.Select((v, i) => (v, i)).OrderBy(p => p.v.Depart).ThenBy(p => p.i).Select(p => p.v).ToList();
            return new TrafficDemand(new Dictionary<string, VehicleType>(types, StringComparer.Ordinal), sorted);
        }
    }
}
