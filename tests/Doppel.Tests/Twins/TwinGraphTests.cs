using Doppel.Twins;
using static Doppel.Tests.Twins.Fx;

namespace Doppel.Tests.Twins;

public sealed class TwinGraphTests
{
    private static TwinDocument Twin(string id) => Ops.Create(id, Obj("""{"$metadata":{"$model":"dtmi:test:Sensor;1"}}"""), T0, E0).Value!;

    private static RelationshipDocument Rel(string source, string id, string target, string name = "near") =>
        RelationshipDocument.FromStoredJson($$"""{"$relationshipId":"{{id}}","$etag":"{{"W/\\\"e\\\""}}","$sourceId":"{{source}}","$relationshipName":"{{name}}","$targetId":"{{target}}"}""");

    [Fact]
    public void Twins_are_listed_in_ordinal_id_order_and_paged_after_an_id()
    {
        var graph = new TwinGraph();
        foreach (var id in new[] { "b", "a", "B", "c" })
        {
            graph.PutTwin(Twin(id));
        }

        Assert.Equal(["B", "a", "b", "c"], graph.Twins.Select(t => t.Id));
        Assert.Equal(["b", "c"], graph.TwinsAfter("a").Select(t => t.Id));
        Assert.Equal(["b", "c"], graph.TwinsAfter("aa").Select(t => t.Id));
        Assert.True(graph.RemoveTwin("b"));
        Assert.False(graph.RemoveTwin("b"));
        Assert.Equal(["c"], graph.TwinsAfter("a").Select(t => t.Id));
        Assert.Equal(3, graph.TwinCount);
    }

    [Fact]
    public void Bulk_added_twins_are_indexed_as_if_put_one_by_one()
    {
        static TwinDocument Sensor(int i) => Ops.Create($"s{i:D4}", Obj($$"""{"$metadata":{"$model":"dtmi:test:Sensor;1"},"reading":{{i % 7}}}"""), T0, E0).Value!;
        var single = new TwinGraph();
        var bulk = new TwinGraph();
        foreach (var graph in new[] { single, bulk })
        {
            // The index exists before the writes, so both paths must maintain it.
            _ = graph.PropertyIndex("reading");
            graph.PutTwin(Twin("existing"));
        }

        var twins = Enumerable.Range(0, 1000).Select(Sensor).Reverse().ToList();
        foreach (var twin in twins)
        {
            single.PutTwin(twin);
        }
        var duplicate = Twin("existing");
        bulk.PutNewTwins([.. twins, duplicate]);

        Assert.Equal(single.Twins.Select(t => t.Id), bulk.Twins.Select(t => t.Id));
        Assert.Equal(1001, bulk.TwinCount);
        Assert.Equal(single.IdsOfModel("dtmi:test:Sensor;1").After(null), bulk.IdsOfModel("dtmi:test:Sensor;1").After(null));
        var index = bulk.PropertyIndex("reading");
        Assert.Equal(7, index.Values.Count);
        foreach (var (key, ids) in single.PropertyIndex("reading").Values)
        {
            Assert.Equal(ids.After(null), index.Equal(key).After(null));
        }
        Assert.Equal(1000, index.Defined.Count);
        Assert.True(bulk.TryGetTwin("existing", out var existing));
        Assert.NotSame(duplicate, existing);
    }

    [Fact]
    public void A_hub_keeps_every_relationship_as_its_set_grows_past_the_small_array_and_shrinks()
    {
        var graph = new TwinGraph();
        for (var i = 0; i < 100; i++)
        {
            graph.PutRelationship(Rel($"s{i:D3}", "r", "hub"));
            graph.PutRelationship(Rel("hub", $"out{i:D3}", $"s{i:D3}", i % 2 == 0 ? "even" : "odd"));
        }
        graph.PutRelationship(Rel("hub", "out007", "elsewhere", "odd"));
        for (var i = 0; i < 100; i += 3)
        {
            Assert.True(graph.RemoveRelationship($"s{i:D3}", "r"));
        }

        var expectedIncoming = Enumerable.Range(0, 100).Where(i => i % 3 != 0).Select(i => $"s{i:D3}");
        Assert.Equal(expectedIncoming, graph.Incoming("hub").Select(r => r.SourceId));
        Assert.Equal(100, graph.Outgoing("hub").Count);
        Assert.Equal(50, graph.CountOutgoing("hub", "even"));
        Assert.True(graph.TryGetRelationship("hub", "out007", out var moved));
        Assert.Equal("elsewhere", moved.TargetId);
        Assert.Empty(graph.Incoming("s007"));
        Assert.Single(graph.Incoming("elsewhere"));
        Assert.False(graph.RemoveRelationship("s000", "r"));
    }

    [Fact]
    public void Put_twin_replaces_and_get_returns_the_latest()
    {
        var graph = new TwinGraph();
        graph.PutTwin(Twin("a"));
        var updated = Patched(Twin("a"), """[{"op":"add","path":"/reading","value":1}]""");
        graph.PutTwin(updated);
        Assert.True(graph.TryGetTwin("a", out var got));
        Assert.Same(updated, got);
        Assert.Equal(1, graph.TwinCount);
        Assert.False(graph.TryGetTwin("zz", out _));
    }

    [Fact]
    public void Relationships_are_indexed_outgoing_by_name_and_incoming_by_target()
    {
        var graph = new TwinGraph();
        graph.PutRelationship(Rel("a", "r2", "b", "contains"));
        graph.PutRelationship(Rel("a", "r1", "c"));
        graph.PutRelationship(Rel("c", "r1", "b"));
        Assert.Equal(["r1", "r2"], graph.Outgoing("a").Select(r => r.Id));
        Assert.Equal(["r2"], graph.Outgoing("a", "contains").Select(r => r.Id));
        Assert.Equal(1, graph.CountOutgoing("a", "contains"));
        Assert.Equal([("a", "r2"), ("c", "r1")], graph.Incoming("b").Select(r => (r.SourceId, r.Id)));
        Assert.True(graph.HasRelationships("b"));
        Assert.True(graph.TryGetRelationship("a", "r1", out var r1));
        Assert.Equal("c", r1.TargetId);

        graph.PutRelationship(Rel("a", "r1", "b"));
        Assert.DoesNotContain(graph.Incoming("c"), r => r.SourceId == "a");
        Assert.Equal(3, graph.Incoming("b").Count);

        Assert.True(graph.RemoveRelationship("a", "r2"));
        Assert.False(graph.RemoveRelationship("a", "r2"));
        Assert.True(graph.RemoveRelationship("a", "r1"));
        Assert.True(graph.RemoveRelationship("c", "r1"));
        Assert.False(graph.HasRelationships("b"));
        Assert.False(graph.HasRelationships("a"));
        Assert.Empty(graph.Outgoing("zz"));
    }

    [Fact]
    public async Task Concurrent_writers_to_different_twins_keep_both_indexes_consistent()
    {
        var graph = new TwinGraph();
        const int writers = 8;
        const int perWriter = 500;
        var targets = new[] { "t0", "t1", "t2" };
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            var source = $"s{w}";
            graph.PutTwin(Twin(source));
            for (var i = 0; i < perWriter; i++)
            {
                graph.PutRelationship(Rel(source, $"r{i}", targets[i % 3]));
                if (i % 5 == 0)
                {
                    graph.RemoveRelationship(source, $"r{i}");
                }
                else if (i % 7 == 0)
                {
                    graph.PutRelationship(Rel(source, $"r{i}", targets[(i + 1) % 3]));
                }

                _ = graph.Incoming(targets[i % 3]);
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        var outgoing = Enumerable.Range(0, writers).SelectMany(w => graph.Outgoing($"s{w}")).ToList();
        Assert.Equal(writers * (perWriter - (perWriter / 5)), outgoing.Count);
        var incoming = targets.SelectMany(graph.Incoming).ToList();
        Assert.Equal(outgoing.Count, incoming.Count);
        foreach (var r in outgoing)
        {
            Assert.Contains(graph.Incoming(r.TargetId), x => x.SourceId == r.SourceId && x.Id == r.Id);
        }

        Assert.Equal(writers, graph.TwinCount);
    }
}
