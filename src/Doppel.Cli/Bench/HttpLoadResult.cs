namespace Doppel.Cli.Bench;

/// <summary>
/// What a load run measured after warmup. <paramref name="Requests"/> counts every attempt started in the measured window;
/// <paramref name="Errors"/> are attempts with no response (connection or protocol failure) plus responses with status 400 or above;
/// latencies cover attempts that got a response; <paramref name="StatusCounts"/> maps status code to responses.
/// </summary>
public sealed record HttpLoadResult(
    long Requests,
    long Errors,
    double RequestsPerSecond,
    TimeSpan P50,
    TimeSpan P99,
    TimeSpan Max,
    IReadOnlyDictionary<int, long> StatusCounts);
