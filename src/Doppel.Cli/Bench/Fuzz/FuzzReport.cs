namespace Doppel.Cli.Bench.Fuzz;

/// <summary>What a fuzz campaign found: how many inputs, how fast, how they fared, and each distinct failure.</summary>
internal sealed record FuzzReport(string Target, ulong Seed, long Inputs, int Workers, double Seconds, IReadOnlyDictionary<string, long> Outcomes, long Exceptions, IReadOnlyList<FuzzFailure> Failures)
{
    public double InputsPerSecond => Inputs / Math.Max(Seconds, 1e-9);
}

/// <summary>One distinct failure (exception type and the frame that threw), with its first input and that input minimised.</summary>
internal sealed record FuzzFailure(string Signature, long Index, string Type, string Message, IReadOnlyList<string> Stack, string Input, string Minimal);
