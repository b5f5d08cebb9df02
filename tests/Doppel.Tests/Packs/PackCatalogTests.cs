using System.Text.Json.Nodes;
using Doppel.Packs;
using Doppel.Packs.Manufacturing;
using Doppel.Simulation.Experiments;

namespace Doppel.Tests.Packs;

/// <summary>Finding packs, refusing clashing ones, and the generic side of their registrations: which kind reads a file, demos by name, sealed results.</summary>
public sealed class PackCatalogTests
{
    private const string LineFile = "line:\n  stations:\n    - { name: a, cycleTime: const(1) }\n  buffers: []\nrun: { duration: 100, warmup: 10, replications: 2 }\n";

    [Fact]
    public void Packs_are_found_in_a_folder_by_their_assembly_attribute_and_nothing_else_is_loaded()
    {
        var folder = Directory.CreateTempSubdirectory("doppel-packs-").FullName;
        File.Copy(typeof(ManufacturingPack).Assembly.Location, Path.Combine(folder, "Doppel.Packs.dll"));
        File.Copy(typeof(Doppel.Storage.SqliteTwinStore).Assembly.Location, Path.Combine(folder, "Doppel.Storage.dll"));
        File.WriteAllText(Path.Combine(folder, "native.dll"), "not an assembly");

        var catalog = PackCatalog.Discover([folder, Path.Combine(folder, "missing")]);

        Assert.Equal(["foresight", "health", "manufacturing", "mobility"], catalog.Packs.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal([$"{PackCatalog.PacksVariable} names '{Path.Combine(folder, "missing")}', which is not a folder."], catalog.Problems);
        var pack = catalog.Packs.Single(p => p.Name == "manufacturing");
        Assert.Equal(["line"], pack.ScenarioKinds.Select(k => k.Name));
        Assert.Equal(["line"], pack.ExperimentKinds.Select(k => k.Name));
        Assert.Equal(["factory"], pack.Samples.Select(s => s.Name));
        Assert.Equal(["factory"], pack.Demos.Select(d => d.Name));
        Assert.Contains("dtmi:doppel:manufacturing:Line;1", pack.ModelIds);
        Assert.Equal(16, pack.Models.Count);
    }

    [Fact]
    public void A_pack_whose_names_are_taken_is_left_out_and_said_so()
    {
        var catalog = PackCatalog.Create([new ManufacturingPack(), new TinyPack("copycat", "line"), new TinyPack("tiny", "tiny"), new BrokenPack()]);

        Assert.Equal(["manufacturing", "tiny"], catalog.Packs.Select(p => p.Name));
        Assert.Equal(
        [
            "Pack 'copycat' is left out: its experiment kind 'line' is pack 'manufacturing''s.",
            "Pack 'broken' could not register: A verb is named in lower case letters, digits and dashes, starting with a letter; 'Not A Name' is not. (Parameter 'name')",
        ], catalog.Problems);
    }

    [Fact]
    public void A_verb_whose_argument_takes_a_number_is_refused_since_numbers_and_flags_are_options_sub_verbs_included()
    {
        var verb = new PackVerb("tiny-verb", "Groups.", null)
        {
            Verbs = [new PackVerb("sub", "Counts.", (_, _) => Task.FromResult(VerbResult.Ok)) { Arguments = [new VerbArgument("count", "How many.") { Value = VerbValue.Number }] }],
        };

        var catalog = PackCatalog.Create([new VerbPack(verb)]);

        Assert.Empty(catalog.Packs);
        Assert.Equal(["Pack 'verbs' could not register: The verb 'sub' has the argument 'count' of kind Number; an argument is a text or a document, a number or a flag is an option. (Parameter 'verb')"], catalog.Problems);
    }

    [Fact]
    public void Console_pages_are_named_like_every_registration_and_listed_with_the_module_the_console_loads()
    {
        static MemoryStream Module() => new("export default () => null;"u8.ToArray());
        var pages = new PagesPack("pages", [new ConsolePage("line", "The line", "dtmi:example:Line;1", Module), new ConsolePage("overview", "Overview", null, Module)]);

        var catalog = PackCatalog.Create(
        [
            pages,
            new PagesPack("bad-name", [new ConsolePage("Line View", "Line", null, Module)]),
            new PagesPack("twice", [new ConsolePage("line", "Line", null, Module), new ConsolePage("line", "Again", null, Module)]),
            new PagesPack("bad-model", [new ConsolePage("line", "Line", "Line;1", Module)]),
            new PagesPack("no-title", [new ConsolePage("line", " ", null, Module)]),
        ]);

        Assert.Equal(["pages"], catalog.Packs.Select(p => p.Name));
        Assert.Equal(
        [
            "Pack 'bad-name' could not register: A console page is named in lower case letters, digits and dashes, starting with a letter; 'Line View' is not. (Parameter 'name')",
            "Pack 'twice' could not register: The console page 'line' is added twice. (Parameter 'page')",
            "Pack 'bad-model' could not register: The console page 'line' names the model 'Line;1', which is not a DTMI with a version (dtmi:...;1). (Parameter 'page')",
            "Pack 'no-title' could not register: The console page 'line' needs a title: the navigation shows it. (Parameter 'page')",
        ], catalog.Problems);
        Assert.Equal(
            """[{"name":"line","title":"The line","modelId":"dtmi:example:Line;1","module":"/console/packs/pages/line.js"},{"name":"overview","title":"Overview","modelId":null,"module":"/console/packs/pages/overview.js"}]""",
            catalog.Packs[0].Describe()["consolePages"]!.ToJsonString());
        Assert.Equal("line", catalog.Packs[0].FindConsolePage("line")?.Name);
        Assert.Null(catalog.Packs[0].FindConsolePage("lines"));
    }

    [Fact]
    public void A_file_names_its_kind_or_is_claimed_by_the_one_kind_that_recognises_it()
    {
        var catalog = PackCatalog.Create([new ManufacturingPack(), new TinyPack("tiny", "tiny")]);

        Assert.Equal("line", catalog.ReadExperiment(LineFile).Value!.Kind.Name);
        Assert.Equal("line", catalog.ReadExperiment("kind: line\n" + LineFile).Value!.Kind.Name);
        Assert.Equal("tiny", catalog.ReadExperiment("kind: tiny\nvalue: 3\n").Value!.Kind.Name);
        Assert.Equal("line 1, kind: there is no experiment kind 'lin'; did you mean 'line'?", catalog.ReadExperiment("kind: lin\n" + LineFile).Error!.Message);
        Assert.StartsWith("line 1: say which kind of scenario file this is, 'kind: NAME', one of: line (keys line, whatIf, optimize); tiny (keys value)",
            catalog.ReadExperiment("run: { replications: 3 }\n").Error!.Message, StringComparison.Ordinal);
        Assert.Equal("line 2: unknown key 'line'; expected one of 'kind', 'name', 'run', 'value'.", catalog.ReadExperiment("kind: tiny\n" + LineFile).Error!.Message);
    }

    [Fact]
    public void Two_kinds_that_recognise_a_file_make_it_name_its_kind()
    {
        var catalog = PackCatalog.Create([new ManufacturingPack(), new TinyPack("tiny", "tiny", recognizes: "line")]);

        Assert.Equal("line 1: more than one kind reads this file (line, tiny); say which with 'kind: NAME'", catalog.ReadExperiment(LineFile).Error!.Message);
        Assert.Equal("line", catalog.ReadExperiment("kind: line\n" + LineFile).Value!.Kind.Name);
    }

    [Fact]
    public void The_demo_to_run_is_the_one_named_or_the_default()
    {
        var catalog = PackCatalog.Create([new ManufacturingPack(), new TinyPack("tiny", "tiny")]);

        Assert.Equal("factory", catalog.FindDemo(null).Value.Demo.Name);
        Assert.Equal("tiny", catalog.FindDemo("tiny").Value.Demo.Name);
        Assert.Equal("there is no demo 'factroy'; did you mean 'factory'?", catalog.FindDemo("factroy").Error!.Message);
        Assert.Equal("Name the demo to run: tiny, tiny-too.", PackCatalog.Create([new TinyPack("tiny", "tiny"), new TinyPack("tiny-too", "tiny-too")]).FindDemo(null).Error!.Message);
    }

    [Fact]
    public void A_result_leaves_with_its_kind_and_run_and_never_holds_a_number_JSON_cannot_carry()
    {
        var run = new RunSettings { Duration = 10, Warmup = 0, Replications = 2 };
        var result = new JsonObject
        {
            ["a"] = double.NaN,
            ["b"] = new JsonArray(1.5, double.PositiveInfinity),
            ["c"] = new JsonObject { ["d"] = double.NegativeInfinity, ["e"] = "text" },
        };

        var sealedResult = ExperimentJson.Seal(result, "tiny", run);

        Assert.Equal("""{"a":null,"b":[1.5,null],"c":{"d":null,"e":"text"},"kind":"tiny","run":{"duration":10,"warmup":0,"replications":2,"seed":1}}""", sealedResult.ToJsonString());
    }

    [Fact]
    public void A_line_that_ships_nothing_gives_a_result_without_NaN_or_Infinity()
    {
        // Each part takes longer than the run: no lead time, no throughput, a change from zero.
        var file = "line:\n  stations:\n    - { name: a, cycleTime: const(50) }\n  buffers: []\nrun: { duration: 40, warmup: 0, replications: 2 }\nwhatIf:\n  faster: { stations: { a: { cycleTime: const(60) } } }\n";
        var experiment = PackCatalog.Create([new ManufacturingPack()]).ReadExperiment(file).Value!;

        var json = experiment.Execute(null, CancellationToken.None).ToJsonString();

        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        Assert.Contains("\"leadTime\":{\"mean\":null", json, StringComparison.Ordinal);
    }

    /// <summary>A pack with an experiment kind reading one number, and a demo; or one that claims another kind's file.</summary>
    [Fact]
    public void A_packs_benchmark_is_listed_and_one_whose_name_another_pack_has_is_left_out()
    {
        var benchmark = new PackVerb("tiny-bench", "Times something.", (_, _) => Task.FromResult(VerbResult.Ok));

        var catalog = PackCatalog.Create([new BenchmarkPack("first", benchmark), new BenchmarkPack("second", benchmark with { Description = "The same name." })]);

        Assert.Equal(["first"], catalog.Packs.Select(p => p.Name));
        Assert.Equal(["Pack 'second' is left out: its benchmark 'tiny-bench' is pack 'first''s."], catalog.Problems);
        Assert.Equal([("first", "tiny-bench")], catalog.Benchmarks.Select(b => (b.Pack.Name, b.Benchmark.Name)));
        var listed = catalog.Packs[0].Describe()["benchmarks"]!.AsArray().Single()!;
        Assert.Equal("tiny-bench", (string?)listed["name"]);
        Assert.Equal("Times something.", (string?)listed["description"]);
        var twice = PackCatalog.Create([new BenchmarkPack("twice", benchmark, benchmark)]);
        Assert.Empty(twice.Packs);
        Assert.Equal(["Pack 'twice' could not register: The benchmark 'tiny-bench' is added twice. (Parameter 'benchmark')"], twice.Problems);
    }

    [Fact]
    public void The_health_pack_adds_its_benchmark()
    {
        var health = PackCatalog.Create([new Doppel.Packs.Health.HealthPack()]).Packs.Single();
        var bench = Assert.Single(health.Benchmarks, b => b.Name == "health");
        Assert.Contains(bench.Options, o => o.Name == "part" && o.Default == "all");
        Assert.Contains(bench.Options, o => o.Name == "days" && o.Default == "10");
    }

    private sealed class BenchmarkPack(string name, params PackVerb[] benchmarks) : IPack
    {
        public string Name => name;

        public string Description => "Adds benchmarks.";

        public void Register(PackBuilder pack)
        {
            foreach (var benchmark in benchmarks)
            {
                pack.AddBenchmark(benchmark);
            }
        }
    }

    private sealed class TinyPack(string name, string kind, string? recognizes = null) : IPack
    {
        public string Name => name;

        public string Description => "A pack for tests.";

        public void Register(PackBuilder pack) => pack.AddExperimentKind(new TinyKind(kind, recognizes ?? "value")).AddDemo(new TinyDemo(name));
    }

    private sealed class VerbPack(PackVerb verb) : IPack
    {
        public string Name => "verbs";

        public string Description => "Registers one verb.";

        public void Register(PackBuilder pack) => pack.AddVerb(verb);
    }

    private sealed class PagesPack(string name, IReadOnlyList<ConsolePage> pages) : IPack
    {
        public string Name => name;

        public string Description => "Adds console pages.";

        public void Register(PackBuilder pack)
        {
            foreach (var page in pages)
            {
                pack.AddConsolePage(page);
            }
        }
    }

    private sealed class BrokenPack : IPack
    {
        public string Name => "broken";

        public string Description => "Registers a verb with a malformed name.";

        public void Register(PackBuilder pack) => pack.AddVerb(new PackVerb("Not A Name", "", null));
    }

    private sealed class TinyKind(string name, string key) : IExperimentKind
    {
        public string Name => name;

        public string Description => "One number.";

        public IReadOnlyCollection<string> Keys => [key];

        public RunSettings RunDefaults { get; } = new() { Duration = 10, Warmup = 0 };

        public ResultView View { get; } = new() { Columns = [new("value", "value")] };

        public bool Recognizes(DocumentMap document) => document.Contains(key);

        public IExperimentPlan Read(ExperimentDocument document) => new Plan(document.Run);

        private sealed class Plan(RunSettings run) : IExperimentPlan
        {
            public RunSettings Run => run;

            public int Total => run.Replications;

            public IOptimization? Optimization => null;

            public IExperimentPlan WithRun(RunSettings other) => new Plan(other);

            public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct) => new() { ["scenarios"] = new JsonArray() };
        }
    }

    private sealed class TinyDemo(string name) : IPackDemo
    {
        public string Name => name;

        public string Description => "Nothing live.";

        public string Sample => name;

        public bool IsDefault => false;

        public Task<Result<DemoSession>> StartAsync(DemoContext context, CancellationToken ct) => Task.FromResult(Result<DemoSession>.Fail("InvalidArgument", "no"));
    }
}
