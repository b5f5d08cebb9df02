using System.Diagnostics;
using System.Net;
using System.Net.Security;
using Doppel.Cli.Bench.Internal;

namespace Doppel.Cli.Bench;

/// <summary>A closed-loop HTTP/1.1 load generator: each worker sends a request, waits for the whole response, and sends the next.</summary>
public static class HttpLoad
{
    private const int MaxStatusCode = 999;

    // In-flight requests may finish this long after the run's end before they are cancelled (and counted as errors).
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    /// <summary>Runs the load and returns what was measured after warmup; <paramref name="makeRequest"/> may use relative URIs.</summary>
    public static async Task<HttpLoadResult> RunAsync(
        HttpLoadOptions options,
        Func<int, long, HttpRequestMessage> makeRequest,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(makeRequest);
        ArgumentNullException.ThrowIfNull(options.BaseAddress);
        if (!options.BaseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException("The base address must be absolute.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Duration, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Warmup, TimeSpan.Zero, nameof(options));

        var acceptAnyCertificate = options.BaseAddress.IsLoopback;
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                // A local dev server has a self-signed certificate; anything else is validated normally.
                RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None || acceptAnyCertificate,
            },
        };
        using var client = new HttpClient(handler, disposeHandler: false)
        {
            BaseAddress = options.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var drain = CancellationTokenSource.CreateLinkedTokenSource(ct);
        drain.CancelAfter(options.Warmup + options.Duration + DrainGrace);

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + ToTimestampTicks(options.Warmup);
        var stopAt = measureFrom + ToTimestampTicks(options.Duration);
        var workers = new Worker[options.Concurrency];
        var running = new Task[options.Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            var worker = new Worker(w, client, makeRequest, measureFrom, stopAt);
            workers[w] = worker;
            running[w] = Task.Run(() => worker.RunAsync(drain.Token, ct), CancellationToken.None);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return Summarize(workers, measureFrom);
    }

    private static HttpLoadResult Summarize(Worker[] workers, long measureFrom)
    {
        var latencies = new LatencyHistogram();
        var statusCounts = new long[MaxStatusCode + 1];
        long requests = 0, errors = 0, lastEnd = measureFrom;
        foreach (var worker in workers)
        {
            latencies.Add(worker.Latencies);
            for (var s = 0; s < statusCounts.Length; s++)
            {
                statusCounts[s] += worker.StatusCounts[s];
            }

            requests += worker.Requests;
            errors += worker.Errors;
            lastEnd = Math.Max(lastEnd, worker.LastEnd);
        }

        var statuses = new SortedDictionary<int, long>();
        for (var s = 0; s < statusCounts.Length; s++)
        {
            if (statusCounts[s] != 0)
            {
                statuses[s] = statusCounts[s];
            }
        }

        var seconds = Stopwatch.GetElapsedTime(measureFrom, lastEnd).TotalSeconds;
        return new HttpLoadResult(
            requests,
            errors,
            seconds > 0 ? requests / seconds : 0,
            TimeSpan.FromMicroseconds(latencies.ValueAtQuantile(0.50)),
            TimeSpan.FromMicroseconds(latencies.ValueAtQuantile(0.99)),
            TimeSpan.FromMicroseconds(latencies.MaxMicroseconds),
            statuses);
    }

    private static long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class Worker(int id, HttpClient client, Func<int, long, HttpRequestMessage> makeRequest, long measureFrom, long stopAt)
    {
        public LatencyHistogram Latencies { get; } = new();

        public long[] StatusCounts { get; } = new long[MaxStatusCode + 1];

        public long Requests { get; private set; }

        public long Errors { get; private set; }

        public long LastEnd { get; private set; }

        public async Task RunAsync(CancellationToken drain, CancellationToken ct)
        {
            for (long iteration = 0; Stopwatch.GetTimestamp() < stopAt && !ct.IsCancellationRequested; iteration++)
            {
                using var request = makeRequest(id, iteration);
                request.Version = HttpVersion.Version11;
                request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
                var status = -1;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, drain).ConfigureAwait(false);

                    // Read the whole body so the connection goes back to the pool for the next request.
                    await response.Content.CopyToAsync(Stream.Null, drain).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    // No response: counted below as an error.
                }

                var ended = Stopwatch.GetTimestamp();
                if (started < measureFrom)
                {
                    continue;
                }

                Requests++;
                LastEnd = ended;
                if (status < 0)
                {
                    Errors++;
                    continue;
                }

                StatusCounts[Math.Min(status, MaxStatusCode)]++;
                if (status >= 400)
                {
                    Errors++;
                }

                Latencies.Record((long)Stopwatch.GetElapsedTime(started, ended).TotalMicroseconds);
            }
        }
    }
}
