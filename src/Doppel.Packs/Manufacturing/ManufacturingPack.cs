using Doppel.Packs;
using Doppel.Packs.Manufacturing;

[assembly: DoppelPack(typeof(ManufacturingPack))]

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// The manufacturing pack: production lines on the simulation kernel. It registers the factory models (ISA-95 based),
/// line forks of live twins (scenario kind <c>line</c>), line scenario files with buffer and maintenance optimization
/// (experiment kind <c>line</c>), the sample factory, its demo, and the console's drawing of a live line (page <c>line</c>).
/// </summary>
public sealed class ManufacturingPack : IPack
{
    public const string SampleName = "factory";

    public string Name => "manufacturing";

    public string Description => "Production lines: stations, buffers and crews on ISA-95 models; what-if forks of a live line, scenario files, buffer and maintenance optimization.";

    public void Register(PackBuilder pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        pack.AddModels(() => Resource("models.json"))
            .AddScenarioKind(new LineScenarioKind())
            .AddExperimentKind(new LineExperimentKind())
            .AddSample(new PackSample(SampleName, "A five-station assembly line (press → weld → paint → inspect → pack), its buffers and a maintenance crew.", () => Resource("factory.ndjson")))
            .AddDemo(new FactoryDemo())
            .AddConsolePage(new ConsolePage("line", "Factory line", LineTwins.LineModel, () => Resource("line.js")));
    }

    private static Stream Resource(string name) =>
        typeof(ManufacturingPack).Assembly.GetManifestResourceStream($"Doppel.Packs.Manufacturing.{name}")
        ?? throw new InvalidOperationException($"The manufacturing pack's {name} is not embedded in its assembly.");
}
