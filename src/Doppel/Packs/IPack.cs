namespace Doppel.Packs;

/// <summary>
/// A sector pack: what it adds to Doppel (DTDL models, scenario and experiment kinds with their run settings, sample
/// worlds, a demo, command-line verbs), registered through <see cref="PackBuilder"/>. A host finds packs by the
/// assembly attribute <see cref="DoppelPackAttribute"/> and names none of them.
/// </summary>
/// <example>
/// <code>
/// [assembly: DoppelPack(typeof(GreenhousePack))]
///
/// public sealed class GreenhousePack : IPack
/// {
///     public string Name => "greenhouse";
///     public string Description => "Greenhouses: heating, venting and the climate inside.";
///     public void Register(PackBuilder pack) => pack
///         .AddModels(() => Open("models.json"))
///         .AddScenarioKind(new ClimateScenarioKind())
///         .AddExperimentKind(new ClimateExperimentKind())
///         .AddSample(new PackSample("greenhouse", "One greenhouse and its heater.", () => Open("greenhouse.ndjson")))
///         .AddDemo(new ClimateDemo())
///         .AddVerb(new PackVerb("greenhouse-status", "Print a greenhouse's climate.", StatusAsync) { UsesServer = true });
/// }
/// </code>
/// </example>
public interface IPack
{
    /// <summary>The pack's name: lower case, unique among packs (<c>manufacturing</c>).</summary>
    string Name { get; }

    /// <summary>One sentence on what the pack adds.</summary>
    string Description { get; }

    /// <summary>Registers what the pack adds. Called once, at discovery; it should only register, not do work.</summary>
    void Register(PackBuilder pack);
}
