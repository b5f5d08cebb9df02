using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>
/// A kind of scenario file, not tied to any twin (<c>doppel simulate FILE</c>, <c>POST /doppel/experiments</c>). A
/// file names its kind (<c>kind: line</c>); a file without one is claimed by the one kind that recognises it. The host
/// reads <c>kind</c>, <c>name</c> and <c>run</c>, refuses keys neither it nor the kind knows, and hands the rest to the kind.
/// </summary>
public interface IExperimentKind
{
    /// <summary>The kind's name (<c>line</c>), unique among experiment kinds.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Top-level keys the kind reads besides <c>kind</c>, <c>name</c> and <c>run</c> (<c>line</c>, <c>whatIf</c>, <c>optimize</c>).</summary>
    IReadOnlyCollection<string> Keys { get; }

    /// <summary>Where a file's <c>run</c> starts from: the kind's defaults, written once.</summary>
    RunSettings RunDefaults { get; }

    /// <summary>How a host prints and plots the kind's results.</summary>
    ResultView View { get; }

    /// <summary>Whether a file without <c>kind</c> is one of this kind (it has the kind's main key, e.g. <c>line</c>).</summary>
    bool Recognizes(DocumentMap document);

    /// <summary>Reads the file into a plan; throws <see cref="DocumentException"/> at the node at fault (the host turns it into an error).</summary>
    IExperimentPlan Read(ExperimentDocument document);
}
