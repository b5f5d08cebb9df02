using Doppel.Packs;
using Doppel.Packs.Foresight;

[assembly: DoppelPack(typeof(ForesightPack))]

namespace Doppel.Packs.Foresight;

/// <summary>
/// The foresight pack: turbofan engines that predict their own remaining life, and the decision that follows. It
/// registers the turbofan and fleet models, the sample fleet of 100 C-MAPSS engines and its demo (the engines replayed
/// over MQTT while a predictor writes their remaining life), the console's fleet page (each engine's remaining life
/// with its interval), and the maintenance decision (experiment and scenario kind <c>engine-maintenance</c>).
/// </summary>
public sealed class ForesightPack : IPack
{
    public const string SampleName = "engines";

    public string Name => "foresight";

    public string Description => "Predictive maintenance: turbofan engines with their predicted remaining life and interval, a 100-engine C-MAPSS fleet replayed live, and when to service each engine under crew capacity and costs.";

    public void Register(PackBuilder pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        pack.AddModels(() => Resource("models.json"))
            .AddExperimentKind(new EngineMaintenanceKind())
            .AddScenarioKind(new FleetMaintenanceScenarioKind())
            .AddSample(new PackSample(SampleName, "A fleet of 100 turbofan engines (C-MAPSS FD001's test units) and the fleet twin that plans their maintenance.", () => Resource("engines.ndjson")))
            .AddDemo(new EngineFleetDemo())
            .AddConsolePage(new ConsolePage("fleet", "Engine fleet", Turbofan.FleetModelId, () => Resource("fleet.js")));
    }

    /// <summary>A file the pack carries in its assembly (the sample's models, twins and C-MAPSS data, the console page).</summary>
    internal static Stream Resource(string name) =>
        typeof(ForesightPack).Assembly.GetManifestResourceStream($"Doppel.Packs.Foresight.{name}")
        ?? throw new InvalidOperationException($"The foresight pack's {name} is not embedded in its assembly.");
}
