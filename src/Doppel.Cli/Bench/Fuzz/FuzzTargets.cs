namespace Doppel.Cli.Bench.Fuzz;

/// <summary>The parsers <c>doppel bench fuzz</c> fuzzes, by name.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = ["query", "filter", "patch", "mapping", "scenario", "payload"];

    /// <summary>The target called <paramref name="name"/>, with seeds from <paramref name="repository"/> (the Doppel source tree) when given; null for an unknown name.</summary>
    public static IFuzzTarget? Create(string name, string? repository) => name switch
    {
        "query" => new QueryFuzzTarget(repository),
        "filter" => new FilterFuzzTarget(repository),
        "patch" => new PatchFuzzTarget(repository),
        "mapping" => new MappingFuzzTarget(repository),
        "scenario" => new ScenarioFuzzTarget(repository),
        "payload" => new PayloadFuzzTarget(repository),
        _ => null,
    };
}
