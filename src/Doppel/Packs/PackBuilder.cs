using System.Text.RegularExpressions;

namespace Doppel.Packs;

/// <summary>What a pack registers, collected at discovery. Names are checked here, so a malformed pack is refused whole.</summary>
public sealed partial class PackBuilder
{
    private readonly List<Func<Stream>> _models = [];
    private readonly List<IScenarioKind> _scenarioKinds = [];
    private readonly List<IExperimentKind> _experimentKinds = [];
    private readonly List<PackSample> _samples = [];
    private readonly List<IPackDemo> _demos = [];
    private readonly List<PackVerb> _verbs = [];
    private readonly List<ConsolePage> _consolePages = [];
    private readonly List<TwinFollower> _followers = [];
    private readonly List<PackVerb> _benchmarks = [];

    internal PackBuilder()
    {
    }

    /// <summary>Adds DTDL models: a JSON array of interfaces (what <c>POST /models</c> takes), opened when first needed.</summary>
    public PackBuilder AddModels(Func<Stream> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        _models.Add(open);
        return this;
    }

    /// <summary>Adds a scenario kind: a fork of live twins with what-ifs (<c>POST /doppel/scenarios</c>).</summary>
    public PackBuilder AddScenarioKind(IScenarioKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        CheckName(kind.Name, "scenario kind");
        _scenarioKinds.Add(kind);
        return this;
    }

    /// <summary>Adds an experiment kind: a scenario file (<c>doppel simulate FILE</c>, <c>POST /doppel/experiments</c>).</summary>
    public PackBuilder AddExperimentKind(IExperimentKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        CheckName(kind.Name, "experiment kind");
        _experimentKinds.Add(kind);
        return this;
    }

    /// <summary>Adds a sample world a user can load (<c>doppel samples load NAME</c>).</summary>
    public PackBuilder AddSample(PackSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        CheckName(sample.Name, "sample");
        _samples.Add(sample);
        return this;
    }

    /// <summary>Adds a demo (<c>doppel demo NAME</c>): a server with a sample loaded and made live.</summary>
    public PackBuilder AddDemo(IPackDemo demo)
    {
        ArgumentNullException.ThrowIfNull(demo);
        CheckName(demo.Name, "demo");
        _demos.Add(demo);
        return this;
    }

    /// <summary>Adds a command-line verb (<c>doppel NAME ...</c>).</summary>
    public PackBuilder AddVerb(PackVerb verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        CheckVerb(verb);
        _verbs.Add(verb);
        return this;
    }

    /// <summary>
    /// Adds an end-to-end benchmark (<c>doppel bench NAME ...</c>): a verb the host lists under <c>bench</c> beside its own
    /// benchmarks (a name a built-in benchmark already has is left out, and said so).
    /// </summary>
    public PackBuilder AddBenchmark(PackVerb benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        CheckVerb(benchmark);
        if (_benchmarks.Any(b => b.Name == benchmark.Name))
        {
            throw new ArgumentException($"The benchmark '{benchmark.Name}' is added twice.", nameof(benchmark));
        }
        _benchmarks.Add(benchmark);
        return this;
    }

    /// <summary>Adds a page to the web console (<c>/console/packs/{pack}/{name}.js</c>), listed in <c>GET /doppel/packs</c>.</summary>
    public PackBuilder AddConsolePage(ConsolePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(page.OpenModule);
        CheckName(page.Name, "console page");
        if (string.IsNullOrWhiteSpace(page.Title))
        {
            throw new ArgumentException($"The console page '{page.Name}' needs a title: the navigation shows it.", nameof(page));
        }
        if (page.ModelId is { } model && !(model.StartsWith("dtmi:", StringComparison.Ordinal) && model.Contains(';', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The console page '{page.Name}' names the model '{model}', which is not a DTMI with a version (dtmi:...;1).", nameof(page));
        }
        if (_consolePages.Any(p => p.Name == page.Name))
        {
            throw new ArgumentException($"The console page '{page.Name}' is added twice.", nameof(page));
        }
        _consolePages.Add(page);
        return this;
    }

    /// <summary>Adds a follower: live logic the server runs on twins of some models, told of their telemetry (<see cref="ITwinFollower"/>).</summary>
    public PackBuilder AddFollower(TwinFollower follower)
    {
        ArgumentNullException.ThrowIfNull(follower);
        ArgumentNullException.ThrowIfNull(follower.Create);
        CheckName(follower.Name, "follower");
        if (follower.Models is not { Count: > 0 } models)
        {
            throw new ArgumentException($"The follower '{follower.Name}' follows no model: name the DTMIs of the twins it follows.", nameof(follower));
        }
        if (models.FirstOrDefault(m => m is null || !(m.StartsWith("dtmi:", StringComparison.Ordinal) && m.Contains(';', StringComparison.Ordinal))) is { } model)
        {
            throw new ArgumentException($"The follower '{follower.Name}' follows the model '{model}', which is not a DTMI with a version (dtmi:...;1).", nameof(follower));
        }
        if (_followers.Any(f => f.Name == follower.Name))
        {
            throw new ArgumentException($"The follower '{follower.Name}' is added twice.", nameof(follower));
        }
        _followers.Add(follower);
        return this;
    }

    private static void CheckVerb(PackVerb verb)
    {
        CheckName(verb.Name, "verb");
        if (verb.Arguments.FirstOrDefault(a => a.Value is not (VerbValue.Text or VerbValue.Document)) is { } argument)
        {
            throw new ArgumentException($"The verb '{verb.Name}' has the argument '{argument.Name}' of kind {argument.Value}; an argument is a text or a document, a number or a flag is an option.", nameof(verb));
        }
        foreach (var sub in verb.Verbs)
        {
            CheckVerb(sub);
        }
    }

    internal Pack Build(IPack pack) => new(pack, _models, _scenarioKinds, _experimentKinds, _samples, _demos, _verbs, _consolePages, _followers) { Benchmarks = _benchmarks };

    internal static void CheckName(string name, string what)
    {
        if (name is null || !ValidName().IsMatch(name))
        {
            throw new ArgumentException($"A {what} is named in lower case letters, digits and dashes, starting with a letter; '{name}' is not.", nameof(name));
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex ValidName();
}
