using System.Globalization;
using System.Reflection;
using Doppel.Packs.Internal;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>
/// The packs a host runs with, and the generic side of what they register: which kind a scenario file or a fork
/// request belongs to, the keys every document may hold, samples, demos and verbs by name. A host discovers packs
/// (<see cref="Discovered"/>) or is given them (<see cref="Create"/>), and names none.
/// </summary>
public sealed class PackCatalog
{
    /// <summary>The environment variable naming further folders to look for packs in, separated like PATH.</summary>
    public const string PacksVariable = "DOPPEL_PACKS";

    private static readonly Lazy<PackCatalog> DefaultDiscovery = new(() => Discover(DefaultDirectories()));

    private PackCatalog(IReadOnlyList<Pack> packs, IReadOnlyList<string> problems)
    {
        Packs = packs;
        Problems = problems;
    }

    /// <summary>Keys of a scenario file the host reads itself; a kind reads the rest (<see cref="IExperimentKind.Keys"/>).</summary>
    public static IReadOnlyList<string> ExperimentKeys { get; } = ["kind", "name", "run"];

    /// <summary>Keys of a fork request the host reads (<c>whatIf</c> is read by the kind, but every kind takes its what-ifs there).</summary>
    public static IReadOnlyList<string> ScenarioKeys { get; } = ["kind", "name", "twin", "run", "at", "fromLiveState", "whatIf"];

    public static PackCatalog Empty { get; } = new([], []);

    /// <summary>The packs found beside the application and in <c>DOPPEL_PACKS</c>, discovered once per process.</summary>
    public static PackCatalog Discovered => DefaultDiscovery.Value;

    /// <summary>The packs, by name.</summary>
    public IReadOnlyList<Pack> Packs { get; }

    /// <summary>Packs that were found but refused (a name already taken, a failing registration), one message each.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The folder of the application, then those named by <c>DOPPEL_PACKS</c>.</summary>
    public static IReadOnlyList<string> DefaultDirectories()
    {
        var directories = new List<string> { AppContext.BaseDirectory };
        if (Environment.GetEnvironmentVariable(PacksVariable) is { Length: > 0 } extra)
        {
            directories.AddRange(extra.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        return directories;
    }

    /// <summary>Registers the given packs (a host that knows them, such as a test); a pack whose names clash with an earlier one is refused.</summary>
    public static PackCatalog Create(IEnumerable<IPack> packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        var problems = new List<string>();
        return new PackCatalog(Register(packs, problems), problems);
    }

    /// <summary>Finds packs in the folders: each assembly naming a pack type with <see cref="DoppelPackAttribute"/>.</summary>
    public static PackCatalog Discover(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var problems = new List<string>();
        var instances = new List<IPack>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var directory in directories.Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(directory))
            {
                problems.Add($"{PacksVariable} names '{directory}', which is not a folder.");
                continue;
            }
            foreach (var path in PackAssemblies.In(directory))
            {
                if (!seen.Add(Path.GetFileNameWithoutExtension(path)))
                {
                    continue;
                }
                try
                {
                    var assembly = PackAssemblies.Load(path);
                    foreach (var attribute in assembly.GetCustomAttributes<DoppelPackAttribute>())
                    {
                        if (!typeof(IPack).IsAssignableFrom(attribute.PackType) || attribute.PackType.GetConstructor(Type.EmptyTypes) is null)
                        {
                            problems.Add($"{Path.GetFileName(path)}: {attribute.PackType.FullName} is not a pack (an IPack with a public parameterless constructor).");
                            continue;
                        }
                        instances.Add((IPack)Activator.CreateInstance(attribute.PackType)!);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A broken pack must not stop the host: it is left out and said so.
                    problems.Add($"{Path.GetFileName(path)} could not be loaded as a pack: {(e as TargetInvocationException)?.InnerException?.Message ?? e.Message}");
                }
            }
        }
        var packs = Register(instances.OrderBy(p => p.Name, StringComparer.Ordinal), problems);
        return new PackCatalog(packs, problems);
    }

    public Pack? Find(string name) => Packs.FirstOrDefault(p => p.Name == name);

    /// <summary>A sample of any pack, by name.</summary>
    public (Pack Pack, PackSample Sample)? FindSample(string name) =>
        Packs.SelectMany(p => p.Samples.Select(s => (p, s))).FirstOrDefault(x => x.s.Name == name) is ({ } pack, { } sample) ? (pack, sample) : null;

    /// <summary>Every sample, pack by pack.</summary>
    public IEnumerable<(Pack Pack, PackSample Sample)> Samples => Packs.SelectMany(p => p.Samples.Select(s => (p, s)));

    /// <summary>Every demo, pack by pack.</summary>
    public IEnumerable<(Pack Pack, IPackDemo Demo)> Demos => Packs.SelectMany(p => p.Demos.Select(d => (p, d)));

    /// <summary>Every verb, pack by pack.</summary>
    public IEnumerable<(Pack Pack, PackVerb Verb)> Verbs => Packs.SelectMany(p => p.Verbs.Select(v => (p, v)));

    /// <summary>Every benchmark (<c>doppel bench NAME</c>), pack by pack.</summary>
    public IEnumerable<(Pack Pack, PackVerb Benchmark)> Benchmarks => Packs.SelectMany(p => p.Benchmarks.Select(b => (p, b)));

    /// <summary>The experiment kind of that name, with its pack.</summary>
    public (Pack Pack, IExperimentKind Kind)? FindExperimentKind(string name) =>
        Packs.SelectMany(p => p.ExperimentKinds.Select(k => (p, k))).FirstOrDefault(x => x.k.Name == name) is ({ } pack, { } kind) ? (pack, kind) : null;

    /// <summary>The scenario kind of that name, with its pack.</summary>
    public (Pack Pack, IScenarioKind Kind)? FindScenarioKind(string name) =>
        Packs.SelectMany(p => p.ScenarioKinds.Select(k => (p, k))).FirstOrDefault(x => x.k.Name == name) is ({ } pack, { } kind) ? (pack, kind) : null;

    /// <summary>
    /// The demo to run: the one named; without a name, the only demo, or the one that says it is the default.
    /// </summary>
    public Result<(Pack Pack, IPackDemo Demo)> FindDemo(string? name)
    {
        var demos = Demos.ToList();
        if (name is not null)
        {
            return demos.FirstOrDefault(d => d.Demo.Name == name) is ({ } pack, { } demo)
                ? Result<(Pack, IPackDemo)>.Ok((pack, demo))
                : Result<(Pack, IPackDemo)>.Fail("InvalidArgument", Unknown("demo", name, demos.Select(d => d.Demo.Name)));
        }
        var chosen = demos.Count == 1 ? demos : demos.Where(d => d.Demo.IsDefault).ToList();
        return chosen.Count == 1
            ? Result<(Pack, IPackDemo)>.Ok(chosen[0])
            : Result<(Pack, IPackDemo)>.Fail("InvalidArgument", demos.Count == 0 ? "No pack has a demo." : $"Name the demo to run: {string.Join(", ", demos.Select(d => d.Demo.Name))}.");
    }

    /// <summary>
    /// Reads a scenario file (YAML or JSON): its kind (<c>kind</c>, or the one kind that recognises it), its name and
    /// run (over the kind's defaults, within <paramref name="limits"/>), and the rest by the kind; unknown keys are refused.
    /// </summary>
    public Result<PreparedExperiment> ReadExperiment(string text, RunLimits? limits = null) =>
        DocumentReader.Read(text, root => ReadExperiment(root, null, limits));

    /// <summary>Reads a scenario file as one of the given kind, whatever its <c>kind</c> says or is missing.</summary>
    public Result<PreparedExperiment> ReadExperiment(string text, string kind, RunLimits? limits = null) =>
        DocumentReader.Read(text, root => ReadExperiment(root, kind, limits));

    private PreparedExperiment ReadExperiment(DocumentMap root, string? kind, RunLimits? limits)
    {
        var kinds = Packs.SelectMany(p => p.ExperimentKinds.Select(k => (Pack: p, Kind: k))).ToList();
        (Pack Pack, IExperimentKind Kind) chosen;
        if (kind is not null)
        {
            chosen = kinds.FirstOrDefault(k => k.Kind.Name == kind) is { Kind: not null } found
                ? found
                : throw new ArgumentException(Unknown("experiment kind", kind, kinds.Select(k => k.Kind.Name)), nameof(kind));
        }
        else if (root.Text("kind") is { } named)
        {
            chosen = kinds.FirstOrDefault(k => k.Kind.Name == named) is { Kind: not null } found
                ? found
                : throw root.Required("kind", "").Error(Unknown("experiment kind", named, kinds.Select(k => k.Kind.Name)));
        }
        else
        {
            var claiming = kinds.Where(k => k.Kind.Recognizes(root)).ToList();
            chosen = claiming.Count switch
            {
                1 => claiming[0],
                0 => throw root.Error(kinds.Count == 0
                    ? "no pack runs scenario files"
                    : $"say which kind of scenario file this is, 'kind: NAME', one of: {string.Join("; ", kinds.Select(k => $"{k.Kind.Name} (keys {string.Join(", ", k.Kind.Keys)})"))}"),
                _ => throw root.Error($"more than one kind reads this file ({string.Join(", ", claiming.Select(k => k.Kind.Name))}); say which with 'kind: NAME'"),
            };
        }
        root.Allow([.. ExperimentKeys, .. chosen.Kind.Keys]);
        var run = RunSection.Read(root.Map("run", "a mapping: { duration, warmup, replications, seed }"), chosen.Kind.RunDefaults, limits, root);
        var plan = chosen.Kind.Read(new ExperimentDocument(root, run));
        return new PreparedExperiment(chosen.Pack, chosen.Kind, Name(root), plan);
    }

    /// <summary>
    /// Reads a fork request (JSON, or YAML) and prepares it with its kind: <c>kind</c>, else the kind that forks the
    /// model of <c>twin</c>, else the one kind that recognises the request; the run over the kind's defaults; where it
    /// starts (<c>at</c>, <c>fromLiveState</c>). Unknown keys are refused.
    /// </summary>
    public async Task<Result<PreparedScenario>> PrepareScenarioAsync(string text, ScenarioContext context, RunLimits? limits, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var read = DocumentReader.Read(text, root => ReadScenario(root, context, limits));
        if (!read.IsSuccess || !read.Value.IsSuccess)
        {
            return read.Error ?? read.Value.Error!;
        }
        var (pack, kind, name, request) = read.Value.Value;
        try
        {
            var plan = await kind.PrepareAsync(request, context, ct);
            return plan.IsSuccess ? Result<PreparedScenario>.Ok(new PreparedScenario(pack, kind, name, plan.Value)) : plan.Error;
        }
        catch (DocumentException e)
        {
            return Result<PreparedScenario>.Fail("InvalidArgument", e.Describe());
        }
    }

    private Result<(Pack Pack, IScenarioKind Kind, string? Name, ScenarioRequest Request)> ReadScenario(DocumentMap root, ScenarioContext context, RunLimits? limits)
    {
        var kinds = Packs.SelectMany(p => p.ScenarioKinds.Select(k => (Pack: p, Kind: k))).ToList();
        var twinId = root.Text("twin");
        (Pack Pack, IScenarioKind Kind) chosen;
        if (root.Text("kind") is { } named)
        {
            chosen = kinds.FirstOrDefault(k => k.Kind.Name == named) is { Kind: not null } found
                ? found
                : throw root.Required("kind", "").Error(Unknown("scenario kind", named, kinds.Select(k => k.Kind.Name)));
        }
        else if (twinId is not null)
        {
            if (!context.Graph.TryGetTwin(twinId, out var twin))
            {
                return Result<(Pack, IScenarioKind, string?, ScenarioRequest)>.Fail("DigitalTwinNotFound", $"There is no digital twin with id '{twinId}'.");
            }
            var forking = kinds.Where(k => context.IsOfModel(twin, k.Kind.TwinModel)).ToList();
            chosen = forking.Count == 1
                ? forking[0]
                : throw root.Required("twin", "").Error(forking.Count == 0
                    ? $"twin '{twinId}' is a {twin.Model.Value}; no scenario kind forks it ({string.Join("; ", kinds.Select(k => $"{k.Kind.Name} forks {k.Kind.TwinModel}"))})"
                    : $"more than one scenario kind forks twin '{twinId}' ({string.Join(", ", forking.Select(k => k.Kind.Name))}); say which with \"kind\"");
        }
        else
        {
            var claiming = kinds.Where(k => k.Kind.Recognizes(root)).ToList();
            chosen = claiming.Count switch
            {
                1 => claiming[0],
                0 => throw root.Error(kinds.Count == 0
                    ? "no pack forks twins"
                    : $"say what to fork: \"twin\" (the twin's id), or \"kind\" (one of: {string.Join(", ", kinds.Select(k => k.Kind.Name))}) with its own keys: {string.Join("; ", kinds.Select(k => $"{k.Kind.Name}: {k.Kind.Usage}"))}"),
                _ => throw root.Error($"more than one scenario kind reads this request ({string.Join(", ", claiming.Select(k => k.Kind.Name))}); say which with \"kind\""),
            };
        }
        root.Allow([.. ScenarioKeys, .. chosen.Kind.Keys]);
        var run = RunSection.Read(root.Map("run", "an object: { duration, warmup, replications, seed }"), chosen.Kind.RunDefaults, limits, root);
        var start = Start(root);
        return Result<(Pack, IScenarioKind, string?, ScenarioRequest)>.Ok((chosen.Pack, chosen.Kind, Name(root), new ScenarioRequest(root, twinId, run, start)));
    }

    private static ScenarioStart Start(DocumentMap root)
    {
        var fromLive = root.Boolean("fromLiveState");
        if (root["at"] is not { } atNode)
        {
            return fromLive == false ? ScenarioStart.Empty : ScenarioStart.Now;
        }
        var text = atNode.ExpectScalar("a date-time").Text;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw atNode.Error($"must be an RFC 3339 date-time, got '{text}'");
        }
        return fromLive == false
            ? throw atNode.Error("a fork starts from the state at a time or from an empty system (\"fromLiveState\": false), not both")
            : ScenarioStart.AtTime(at);
    }

    private static string? Name(DocumentMap root) => root["name"] switch
    {
        null => null,
        DocumentScalar { Text.Length: > 0, IsNull: false } name => name.Text,
        var other => throw other.Error("'name' must be a non-empty text (the run's id)"),
    };

    private static string Unknown(string what, string name, IEnumerable<string> valid)
    {
        var names = valid.ToList();
        return NearestName.Find(name, names) is { } nearest
            ? $"there is no {what} '{name}'; did you mean '{nearest}'?"
            : names.Count == 0 ? $"there is no {what} '{name}'; no pack registers one" : $"there is no {what} '{name}'; expected one of {string.Join(", ", names.Select(n => $"'{n}'"))}";
    }

    private static List<Pack> Register(IEnumerable<IPack> packs, List<string> problems)
    {
        var registered = new List<Pack>();
        foreach (var instance in packs)
        {
            Pack pack;
            try
            {
                PackBuilder.CheckName(instance.Name, "pack");
                var builder = new PackBuilder();
                instance.Register(builder);
                pack = builder.Build(instance);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                problems.Add($"Pack '{instance.Name}' could not register: {e.Message}");
                continue;
            }
            if (Clash(pack, registered) is { } clash)
            {
                problems.Add($"Pack '{pack.Name}' is left out: {clash}");
                continue;
            }
            registered.Add(pack);
        }
        return registered;
    }

    private static string? Clash(Pack pack, List<Pack> registered)
    {
        string? Taken(string what, Func<Pack, IEnumerable<string>> names)
        {
            var own = names(pack).ToList();
            if (own.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                return $"it registers the {what} '{twice.Key}' twice.";
            }
            return registered.FirstOrDefault(other => names(other).Intersect(own).Any()) is { } owner
                ? $"its {what} '{names(owner).Intersect(own).First()}' is pack '{owner.Name}''s."
                : null;
        }
        return registered.Any(p => p.Name == pack.Name)
            ? $"a pack named '{pack.Name}' is already loaded."
            : Taken("scenario kind", p => p.ScenarioKinds.Select(k => k.Name))
                ?? Taken("experiment kind", p => p.ExperimentKinds.Select(k => k.Name))
                ?? Taken("sample", p => p.Samples.Select(s => s.Name))
                ?? Taken("demo", p => p.Demos.Select(d => d.Name))
                ?? Taken("verb", p => p.Verbs.Select(v => v.Name))
                ?? Taken("benchmark", p => p.Benchmarks.Select(b => b.Name));
    }
}
