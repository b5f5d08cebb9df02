namespace Doppel.Cli.Bench;

/// <summary>How <see cref="HttpLoad.RunAsync"/> drives a server: <paramref name="Concurrency"/> closed-loop workers for <paramref name="Warmup"/> (not measured) then <paramref name="Duration"/>.</summary>
public sealed record HttpLoadOptions(Uri BaseAddress, int Concurrency, TimeSpan Duration, TimeSpan Warmup);
