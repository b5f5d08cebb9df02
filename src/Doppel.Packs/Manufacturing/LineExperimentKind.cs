using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Manufacturing;

/// <summary>Scenario files of kind <c>line</c> (<see cref="LineScenarioFile"/>): a production line and its what-ifs, not tied to any twin; optimizable.</summary>
public sealed class LineExperimentKind : IExperimentKind
{
    public const string KindName = "line";

    public string Name => KindName;

    public string Description => "A production line and its what-ifs over replications: throughput, WIP, lead time, OEE and the bottleneck, compared with the baseline; buffer and maintenance optimization.";

    public IReadOnlyCollection<string> Keys => LineScenarioFile.Keys;

    public RunSettings RunDefaults => LineScenarioFile.RunDefaults;

    public ResultView View => LineExperiment.View;

    public bool Recognizes(DocumentMap document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Contains("line");
    }

    public IExperimentPlan Read(ExperimentDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new LineExperimentPlan(LineScenarioFile.Read(document.Root, document.Run));
    }
}
