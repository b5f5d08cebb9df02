using Doppel.Packs;
using Doppel.Packs.Mobility;

[assembly: DoppelPack(typeof(MobilityPack))]

namespace Doppel.Packs.Mobility;

/// <summary>
/// The mobility pack: a city's traffic on its twin. It reads SUMO's own files (networks, demand, detectors), simulates
/// them microscopically (Krauss and IDM car following, lane changing, right-of-way and signals) in agreement with SUMO,
/// keeps link flows in step with live detector counts, and tries what-ifs, signal plans and evacuations before the
/// streets change. Each part registers itself from its own file, so the parts grow without touching each other.
/// </summary>
public sealed partial class MobilityPack : IPack
{
    public string Name => "mobility";

    public string Description => "Urban mobility: SUMO networks and demand simulated in agreement with SUMO and faster, road and detector twins kept in step with live counts, what-ifs, signal optimisation and evacuations.";

    public void Register(PackBuilder pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var traffic = new List<PackVerb>();
        AddSimulationVerbs(traffic);
        AddValidationVerbs(traffic);
        AddPlanningVerbs(traffic);
        AddLiveVerbs(traffic);
        if (traffic.Count > 0)
        {
            pack.AddVerb(new PackVerb("traffic", "Traffic on SUMO's files: run a scenario, compare it with SUMO, optimise signal plans.", null) { Verbs = traffic });
        }

        RegisterSimulation(pack);
        RegisterValidation(pack);
        RegisterPlanning(pack);
        RegisterLive(pack);
        RegisterViews(pack);
    }

    /// <summary>Sub-verbs of <c>doppel traffic</c> from the simulator, such as <c>run</c> (MobilityPack.Simulation.cs).</summary>
    partial void AddSimulationVerbs(List<PackVerb> verbs);

    /// <summary>Sub-verbs from the SUMO comparison, such as <c>compare</c> (MobilityPack.Validation.cs).</summary>
    partial void AddValidationVerbs(List<PackVerb> verbs);

    /// <summary>Sub-verbs from planning: <c>optimize</c>, what-ifs, evacuation (MobilityPack.Planning.cs).</summary>
    partial void AddPlanningVerbs(List<PackVerb> verbs);

    /// <summary>Sub-verbs from the live twin, such as importing a network as twins (MobilityPack.Live.cs).</summary>
    partial void AddLiveVerbs(List<PackVerb> verbs);

    /// <summary>The simulator's other registrations (MobilityPack.Simulation.cs).</summary>
    partial void RegisterSimulation(PackBuilder pack);

    /// <summary><c>doppel bench traffic</c> and the comparison's registrations (MobilityPack.Validation.cs).</summary>
    partial void RegisterValidation(PackBuilder pack);

    /// <summary>What-if scenario kinds, signal optimisation and evacuation (MobilityPack.Planning.cs).</summary>
    partial void RegisterPlanning(PackBuilder pack);

    /// <summary>Models, the city sample, the detector replay demo, the follower that estimates link flows (MobilityPack.Live.cs).</summary>
    partial void RegisterLive(PackBuilder pack);

    /// <summary>The console's map page (MobilityPack.Views.cs).</summary>
    partial void RegisterViews(PackBuilder pack);
}
