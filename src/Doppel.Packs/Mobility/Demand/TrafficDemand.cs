namespace Doppel.Packs.Mobility.Demand;

/// <summary>
/// What is to drive: vehicle types and vehicles with their routes, sorted by departure (SUMO's order: depart time, then
/// file order). Flows are already expanded into vehicles and trips already routed when a demand is built.
/// </summary>
public sealed record TrafficDemand(IReadOnlyDictionary<string, VehicleType> Types, IReadOnlyList<VehicleDemand> Vehicles)
{
    /// <summary>SUMO's implicit default passenger car type id.</summary>
    public const string DefaultTypeId = "DEFAULT_VEHTYPE";
}

/// <summary>
/// A vehicle type with SUMO's defaults for a passenger car (SUMO 1.15). <see cref="SpeedFactor"/> and
/// <see cref="SpeedDeviation"/> draw each vehicle's speed factor from a normal distribution cut to [0.2, 2] (SUMO's
/// <c>normc(1, 0.1, 0.2, 2)</c>); its desired speed is that factor times the lane's limit. <see cref="CarFollowModel"/>: <c>Krauss</c> or <c>IDM</c>.
/// </summary>
public sealed record VehicleType(string Id)
{
    public string VehicleClass { get; init; } = "passenger";

    public double Length { get; init; } = 5;

    public double MinGap { get; init; } = 2.5;

    public double MaxSpeed { get; init; } = 55.56;

    public double Accel { get; init; } = 2.6;

    public double Decel { get; init; } = 4.5;

    public double EmergencyDecel { get; init; } = 9;

    public double Sigma { get; init; } = 0.5;

    public double Tau { get; init; } = 1;

    public double SpeedFactor { get; init; } = 1;

    public double SpeedDeviation { get; init; } = 0.1;

    public string CarFollowModel { get; init; } = "Krauss";

    /// <summary>IDM's acceleration exponent (SUMO's <c>delta</c>).</summary>
    public double Delta { get; init; } = 4;

    public string LaneChangeModel { get; init; } = "LC2013";
}

/// <summary>
/// One vehicle: when it departs and the edges it drives. Depart attributes keep SUMO's spelling (<c>departLane</c>
/// "first", "best", "random", "free" or an index; <c>departSpeed</c> "0", "max", "desired" or a number;
/// <c>departPos</c> "base", "free", ... or metres); null means SUMO's default.
/// </summary>
public sealed record VehicleDemand(string Id, string TypeId, double Depart, IReadOnlyList<string> Route)
{
    public string? DepartLane { get; init; }

    public string? DepartSpeed { get; init; }

    public string? DepartPos { get; init; }

    public string? ArrivalPos { get; init; }
}
