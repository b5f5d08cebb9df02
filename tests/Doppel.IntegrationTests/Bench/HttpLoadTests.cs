using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Doppel.Cli.Bench;
using Doppel.Cli.Bench.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Doppel.IntegrationTests.Bench;

public sealed class HttpLoadTests : IAsyncDisposable
{
    private readonly LoopbackServer _server = new();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_measured_request_is_counted_once_by_status_and_4xx_5xx_are_errors()
    {
        // Given a server answering 200, 404 and 500 by path, and workers cycling through the three
        var options = new HttpLoadOptions(_server.BaseAddress, Concurrency: 4, Duration: TimeSpan.FromSeconds(3), Warmup: TimeSpan.FromMilliseconds(500));

        // When the load runs
        var result = await HttpLoad.RunAsync(options, (_, i) => new HttpRequestMessage(HttpMethod.Get, Paths[i % 3]));

        // Then statuses add up to the requests, errors are the 404s and 500s, and warmup requests are left out
        Assert.True(result.Requests > 0);
        Assert.Equal(result.Requests, result.StatusCounts.Values.Sum());
        Assert.Equal([200, 404, 500], result.StatusCounts.Keys.Order());
        Assert.Equal(result.StatusCounts[404] + result.StatusCounts[500], result.Errors);

        // Each worker's first request starts during warmup, so the server saw at least one more per worker than was measured.
        Assert.True(_server.RequestCount >= result.Requests + options.Concurrency, $"server {_server.RequestCount}, measured {result.Requests}");

        // The measured window is the duration plus at most the slowest request's tail.
        Assert.InRange(
            result.RequestsPerSecond,
            result.Requests / (options.Duration + result.Max + TimeSpan.FromMilliseconds(100)).TotalSeconds,
            result.Requests / (options.Duration.TotalSeconds * 0.99));
        Assert.True(TimeSpan.Zero < result.P50 && result.P50 <= result.P99 && result.P99 <= result.Max);
    }

    [Fact]
    public async Task Connections_are_kept_alive_and_requests_in_flight_never_exceed_the_concurrency()
    {
        var options = new HttpLoadOptions(_server.BaseAddress, Concurrency: 3, Duration: TimeSpan.FromSeconds(1), Warmup: TimeSpan.Zero);

        var result = await HttpLoad.RunAsync(options, (_, _) => new HttpRequestMessage(HttpMethod.Post, "ok") { Content = new StringContent("{}") });

        Assert.Equal(0, result.Errors);
        Assert.InRange(_server.MaxInFlight, 1, 3);

        Assert.True(
            _server.ClientEndpoints.Count <= options.Concurrency,
            $"{_server.RequestCount} requests over {_server.ClientEndpoints.Count} connections: keep-alive is not working.");
    }

    [Fact]
    public async Task Requests_without_a_response_are_errors_with_no_status()
    {
        var closedPort = new Uri($"http://127.0.0.1:{LoopbackServer.FreePort()}/");
        // Long enough for a refused connection to come back on a loaded machine (100 ms saw none under CI's load).
        var options = new HttpLoadOptions(closedPort, Concurrency: 2, Duration: TimeSpan.FromSeconds(1), Warmup: TimeSpan.Zero);

        var result = await HttpLoad.RunAsync(options, (_, _) => new HttpRequestMessage(HttpMethod.Get, "ok"));

        Assert.True(result.Requests > 0);
        Assert.Equal(result.Requests, result.Errors);
        Assert.Empty(result.StatusCounts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(1_000)]
    [InlineData(123_456)]
    [InlineData(60_000_000)]
    public void A_latency_lands_in_a_bucket_within_two_percent_above_it(long microseconds)
    {
        var upper = LatencyHistogram.UpperBound(LatencyHistogram.IndexOf(microseconds));

        Assert.InRange(upper, microseconds, microseconds + Math.Max(0, (long)(microseconds * 0.02)));
    }

    private static readonly string[] Paths = ["ok", "missing", "fail"];

    /// <summary>A Kestrel server on a free loopback port: /ok 200, /missing 404, anything else 500; counts what it sees.</summary>
    private sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private long _requestCount;
        private int _inFlight;
        private int _maxInFlight;

        public LoopbackServer()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.Run(RespondAsync);
            _app.StartAsync().GetAwaiter().GetResult();
            BaseAddress = new Uri(_app.Urls.Single().TrimEnd('/') + "/");
        }

        public Uri BaseAddress { get; }

        public long RequestCount => Interlocked.Read(ref _requestCount);

        public ConcurrentDictionary<string, int> ClientEndpoints { get; } = new();

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task RespondAsync(HttpContext context)
        {
            Interlocked.Increment(ref _requestCount);
            var inFlight = Interlocked.Increment(ref _inFlight);
            for (var max = _maxInFlight; inFlight > max; max = _maxInFlight)
            {
                Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
            }

            ClientEndpoints.AddOrUpdate(context.Connection.Id, 1, (_, n) => n + 1);
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = context.Request.Path.Value switch
            {
                "/ok" => 200,
                "/missing" => 404,
                _ => 500,
            };
            context.Response.ContentLength = 2;
            Interlocked.Decrement(ref _inFlight);
            await context.Response.Body.WriteAsync("{}"u8.ToArray());
        }
    }
}
