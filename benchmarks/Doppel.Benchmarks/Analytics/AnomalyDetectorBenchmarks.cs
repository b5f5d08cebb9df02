using BenchmarkDotNet.Attributes;
using Doppel.Analytics.Anomaly;

namespace Doppel.Benchmarks.Analytics;

/// <summary>
/// Baseline anomaly detectors on one core: 100,000 readings of a noisy daily cycle with rare spikes, one detector
/// instance, per operation; 1 / Mean × 100,000 is points/s (the issue asks for at least 1,000,000). Run:
/// <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *AnomalyDetector* --job short</c>.
/// The stronger detectors report their rate in <c>doppel bench nab</c>.
/// </summary>
[MemoryDiagnoser]
public class AnomalyDetectorBenchmarks
{
    private const int Points = 100_000;

    private readonly DateTimeOffset[] _times = new DateTimeOffset[Points];
    private readonly double[] _values = new double[Points];

    [Params("ewma", "mad", "seasonal")]
    public string Detector { get; set; } = "ewma";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Points; i++)
        {
            _times[i] = start.AddMinutes(5 * i);
            _values[i] = 50 + 10 * Math.Sin(2 * Math.PI * i / 288) + random.NextDouble() + (i % 5000 == 4999 ? 40 : 0);
        }
    }

    [Benchmark]
    public double Score()
    {
        var detector = AnomalyDetectors.Create(Detector).Value!;
        var sum = 0.0;
        for (var i = 0; i < Points; i++)
        {
            sum += detector.Next(_times[i], _values[i]).Score;
        }
        return sum;
    }
}
