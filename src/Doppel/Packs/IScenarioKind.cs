using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>
/// A kind of scenario that forks live twins (<c>POST /doppel/scenarios</c>, <c>doppel simulate --twin ID</c>): it reads
/// the twins it needs from the graph (and their past state from history), applies what-ifs, and runs forward. It
/// never writes to twins. A request names its kind (<c>"kind"</c>), or the twin it forks (<c>"twin"</c>, whose model
/// picks the kind), or, for compatibility, holds a key only one kind recognises.
/// </summary>
public interface IScenarioKind
{
    /// <summary>The kind's name (<c>line</c>), unique among scenario kinds.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>The DTDL model of the twin it forks (twins of models extending it too).</summary>
    string TwinModel { get; }

    /// <summary>Request keys the kind reads besides the host's (<c>kind</c>, <c>name</c>, <c>twin</c>, <c>run</c>, <c>at</c>, <c>fromLiveState</c>, <c>whatIf</c>).</summary>
    IReadOnlyCollection<string> Keys { get; }

    /// <summary>Where a request's <c>run</c> starts from: the kind's defaults, written once.</summary>
    RunSettings RunDefaults { get; }

    /// <summary>How a host prints and plots the kind's results.</summary>
    ResultView View { get; }

    /// <summary>What a request needs, for error messages: <c>"line": the id of a dtmi:...:Line;1 twin</c>.</summary>
    string Usage { get; }

    /// <summary>Whether a request without <c>kind</c> or <c>twin</c> is one of this kind (it has the kind's own key).</summary>
    bool Recognizes(DocumentMap request);

    /// <summary>
    /// Reads what it forks and prepares the run, or says why it cannot (no such twin, a twin of another model, a malformed
    /// what-if). May throw <see cref="DocumentException"/> at a node of the request.
    /// </summary>
    Task<Result<ISimulationPlan>> PrepareAsync(ScenarioRequest request, ScenarioContext context, CancellationToken ct);
}
