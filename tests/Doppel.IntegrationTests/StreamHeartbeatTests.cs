using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>Idle live streams stay alive: both event streams send heartbeat events, written by the framework's SSE formatter.</summary>
public sealed class StreamHeartbeatTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Configure = o => o.StreamHeartbeat = TimeSpan.FromMilliseconds(50) };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task An_idle_event_stream_sends_heartbeats_that_readers_can_tell_from_events()
    {
        await using var stream = await SseStream.OpenAsync(_server.Http, "?twinId=nobody");
        var first = await stream.ReadAsync();
        var second = await stream.ReadAsync();
        Assert.Equal(("heartbeat", "{}"), (first.EventType, first.Data));
        Assert.Equal("heartbeat", second.EventType);
    }
}
