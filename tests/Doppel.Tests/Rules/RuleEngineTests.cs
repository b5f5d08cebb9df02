using Doppel.History;
using Doppel.Ingest;
using Doppel.Rules;
using Doppel.Storage;
using Doppel.Tests.Storage;

namespace Doppel.Tests.Rules;

/// <summary>The rule engine on a fake clock: hysteresis, durations, absences, rates, windows, relationships, flapping, scopes that follow twins, restarts.</summary>
public sealed class RuleEngineTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private const string Hot = """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"temperature > 90","clear":"temperature < 85","severity":"major","message":"{twinId} at {value}"}""";

    [Fact]
    public void A_threshold_with_hysteresis_raises_above_90_holds_between_and_clears_below_85()
    {
        using var world = new RuleWorld();
        world.Rule("hot", Hot);
        world.Twin("m1");

        world.Send("m1", "temperature", 89);
        Assert.Empty(world.Changes);
        world.Send("m1", "temperature", 95);
        Assert.Equal(["raised"], world.Types);
        Assert.Equal(("m1 at 95", 95.0, AlertSeverity.Major), (world.Last.Alert.Message, (double)world.Last.Alert.Value!, world.Last.Alert.Severity));
        world.Send("m1", "temperature", 88);
        world.Send("m1", "temperature", 91);
        Assert.Equal(["raised"], world.Types);
        world.Send("m1", "temperature", 84);
        Assert.Equal(["raised", "resolved"], world.Types);
        Assert.Equal(AlertResolution.Cleared, world.Last.Alert.Resolved!.Reason);
        Assert.Equal(0, world.Engine.OpenCount);
    }

    [Fact]
    public void A_duration_raises_only_when_the_condition_held_that_long_on_the_clock_and_a_break_starts_it_over()
    {
        using var world = new RuleWorld();
        world.Rule("hot", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"temperature > 90","for":"2m","severity":"minor","message":"m"}""");
        world.Twin("m1");

        world.Send("m1", "temperature", 95);
        world.Advance(Minute);
        world.Send("m1", "temperature", 80); // a break
        world.Send("m1", "temperature", 96);
        world.Advance(Minute);
        Assert.Empty(world.Changes);
        world.Advance(Minute);
        // No new reading: the clock's timer raised it, 2 minutes after the condition began to hold.
        Assert.Equal(["raised"], world.Types);
        Assert.Equal(RuleWorld.Start + 3 * Minute, world.Last.Alert.RaisedTime);
    }

    [Fact]
    public void An_absence_raises_when_a_twin_is_silent_for_5_minutes_and_clears_when_it_speaks()
    {
        using var world = new RuleWorld();
        world.Rule("silent", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"ABSENT('5m')","severity":"critical","message":"{twinId} is silent"}""");
        world.Twin("m1");

        world.Advance(4 * Minute);
        world.Send("m1", "pressure", 1);
        world.Advance(4 * Minute);
        Assert.Empty(world.Changes);
        world.Advance(Minute);
        Assert.Equal(["raised"], world.Types);
        Assert.Equal(RuleWorld.Start + 9 * Minute, world.Last.Alert.RaisedTime);
        world.Send("m1", "temperature", 20);
        Assert.Equal(["raised", "resolved"], world.Types);
    }

    [Fact]
    public void An_absence_of_one_telemetry_ignores_the_others()
    {
        using var world = new RuleWorld();
        world.Rule("no-temp", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"ABSENT(temperature, '5m')","severity":"minor","message":"m"}""");
        world.Twin("m1");
        world.Send("m1", "temperature", 20);
        for (var i = 0; i < 5; i++)
        {
            world.Advance(Minute);
            world.Send("m1", "pressure", i);
        }
        Assert.Equal(["raised"], world.Types);
    }

    [Fact]
    public void A_rate_of_change_per_minute_over_a_window_raises_when_it_climbs_fast_enough()
    {
        using var world = new RuleWorld();
        world.Rule("climb", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"RATE(temperature, '5m', '1m') > 2","severity":"warning","message":"{twinId} climbs {value}/min"}""");
        world.Twin("m1");

        world.Send("m1", "temperature", 20);
        world.Advance(Minute);
        world.Send("m1", "temperature", 22); // 2 per minute: not more than 2
        Assert.Empty(world.Changes);
        world.Advance(Minute);
        world.Send("m1", "temperature", 25); // (25 - 20) / 2 minutes
        Assert.Equal(["raised"], world.Types);
        Assert.Equal("m1 climbs 2.5/min", world.Last.Alert.Message);
    }

    [Fact]
    public void A_windowed_average_raises_and_a_count_clears_when_old_points_leave_the_window_on_the_clock()
    {
        using var world = new RuleWorld();
        world.Rule("avg", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"AVG(temperature, '10m') > 50","severity":"minor","message":"{value}"}""");
        world.Rule("busy", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"COUNT(temperature, '10m') >= 3","severity":"info","message":"m"}""");
        world.Twin("m1");

        world.Send("m1", "temperature", 40);
        world.Advance(Minute);
        world.Send("m1", "temperature", 50);
        Assert.Empty(world.Changes);
        world.Advance(Minute);
        world.Send("m1", "temperature", 72); // (40 + 50 + 72) / 3 = 54
        Assert.Equal([("avg", "raised"), ("busy", "raised")], world.Changes.Select(c => (c.Alert.RuleId, c.Type[13..])).OrderBy(c => c.RuleId));
        Assert.Equal(54.0, (double)world.Changes.Single(c => c.Alert.RuleId == "avg").Alert.Value!);

        // Nothing arrives; once the first point is 10 minutes old the count is 2 and the average 61.
        world.Advance(8 * Minute + TimeSpan.FromSeconds(1));
        Assert.Equal(("busy", AlertEventTypes.Resolved), (world.Last.Alert.RuleId, world.Last.Type));
        Assert.Single(world.Changes, c => c.Alert.RuleId == "avg");
    }

    [Fact]
    public void A_comparison_across_a_relationship_follows_both_twins()
    {
        using var world = new RuleWorld();
        world.Twin("pipe", RuleWorld.Pipe, ""","rating":10""");
        world.Twin("pump");
        world.Rule("over", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"JOIN P RELATED T.feeds WHERE T.pressure > P.rating","severity":"critical","message":"{twinId} {value}"}""");

        world.Send("pump", "pressure", 12);
        Assert.Empty(world.Changes); // no pipe yet
        world.Relate("pump", "pipe");
        Assert.Equal(["raised"], world.Types);
        Assert.Equal("pump 12", world.Last.Alert.Message);
        world.Set("pipe", "rating", 20);
        Assert.Equal(["raised", "resolved"], world.Types);
    }

    [Fact]
    public void A_condition_returning_soon_after_it_cleared_reopens_the_same_alert_and_later_raises_a_new_one()
    {
        using var world = new RuleWorld(options: new RuleEngineOptions { ReopenWithin = 2 * Minute });
        world.Rule("hot", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"temperature > 90","severity":"major","message":"m"}""");
        world.Twin("m1");

        world.Send("m1", "temperature", 95);
        var first = world.Last.Alert.Id;
        world.Send("m1", "temperature", 80);
        world.Advance(Minute);
        world.Send("m1", "temperature", 95);
        Assert.Equal(["raised", "resolved", "raised"], world.Types);
        Assert.Equal(first, world.Last.Alert.Id);
        Assert.Equal(["raised", "resolved", "raised"], world.Last.Alert.Transitions.Select(t => t.State.Name()));
        Assert.StartsWith("reopened", world.Last.Alert.Transitions[^1].Note, StringComparison.Ordinal);

        world.Send("m1", "temperature", 80);
        world.Advance(3 * Minute);
        world.Send("m1", "temperature", 95);
        Assert.NotEqual(first, world.Last.Alert.Id);
        Assert.Equal(2, world.Changes.Where(c => c.Type == AlertEventTypes.Raised).Select(c => c.Alert.Id).Distinct().Count());
    }

    [Fact]
    public void A_model_scope_covers_twins_of_models_extending_it_created_after_the_rule()
    {
        using var world = new RuleWorld();
        world.Rule("hot", Hot);
        world.Twin("h1", RuleWorld.HotMachine);
        world.Twin("pipe", RuleWorld.Pipe);

        world.Send("h1", "temperature", 99);
        Assert.Equal(["raised"], world.Types);
        world.Delete("h1");
        Assert.Equal(["raised", "resolved"], world.Types);
        Assert.Equal(AlertResolution.Manual, world.Last.Alert.Resolved!.Reason);
        Assert.Contains("deleted", world.Last.Alert.Resolved!.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_query_scope_follows_twins_as_their_properties_bring_them_in_and_out()
    {
        using var world = new RuleWorld();
        world.Twin("m1", properties: ""","limit":5""");
        world.Rule("hot", """{"scope":{"query":"SELECT * FROM DIGITALTWINS T WHERE T.limit > 10"},"condition":"temperature > 90","severity":"major","message":"m"}""");

        world.Send("m1", "temperature", 95);
        Assert.Empty(world.Changes);
        world.Set("m1", "limit", 20);
        world.Send("m1", "temperature", 96);
        Assert.Equal(["raised"], world.Types);
        world.Set("m1", "limit", 1);
        Assert.Equal(["raised", "resolved"], world.Types);
        Assert.Contains("scope", world.Last.Alert.Resolved!.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_threshold_is_evaluated_when_the_property_changes_and_only_rules_reading_it_run()
    {
        using var world = new RuleWorld();
        world.Rule("limit", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"limit > 100","severity":"info","message":"{twinId} limit {limit}"}""");
        world.Rule("hot", Hot);
        world.Twin("m1", properties: ""","limit":5""");
        var evaluations = world.Engine.Evaluations;

        world.Send("m1", "pressure", 3); // neither rule reads pressure
        Assert.Equal(evaluations, world.Engine.Evaluations);
        world.Set("m1", "limit", 150);
        Assert.Equal(evaluations + 1, world.Engine.Evaluations);
        Assert.Equal("m1 limit 150", world.Last.Alert.Message);
    }

    [Fact]
    public void A_reading_evaluates_its_own_twin_only_however_many_twins_are_in_scope()
    {
        using var world = new RuleWorld();
        for (var i = 0; i < 500; i++)
        {
            world.Twin("m" + i);
        }
        world.Rule("hot", Hot);
        world.Rule("avg", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"AVG(temperature, '10m') > 80","severity":"minor","message":"m"}""");
        var evaluations = world.Engine.Evaluations;

        world.Send("m7", "temperature", 50);

        Assert.Equal(evaluations + 2, world.Engine.Evaluations); // two rules on one twin, not 500 twins
    }

    [Fact]
    public void A_manually_resolved_alert_is_raised_again_only_after_its_condition_cleared()
    {
        using var world = new RuleWorld();
        world.Rule("hot", Hot);
        world.Twin("m1");
        world.Send("m1", "temperature", 95);
        var id = world.Last.Alert.Id;

        Assert.Equal(AlertState.Acknowledged, world.Engine.Acknowledge(id, "ana", "looking").Value!.Alert.State);
        Assert.Equal("AlertNotOpen", world.Engine.Acknowledge(id, "ana", null).Error?.Code);
        var resolved = world.Engine.Resolve(id, "ana", "fixed the fan");
        Assert.Equal(("ana", AlertResolution.Manual, "fixed the fan"), (resolved.Value!.Alert.Resolved!.By, resolved.Value.Alert.Resolved.Reason, resolved.Value.Alert.Resolved.Note));
        world.Send("m1", "temperature", 97); // still hot: resolved by hand, so not raised again yet
        Assert.Single(world.Changes);
        world.Send("m1", "temperature", 70);
        world.Send("m1", "temperature", 97);
        Assert.Equal(AlertEventTypes.Raised, world.Last.Type);
        Assert.NotEqual(id, world.Last.Alert.Id);
    }

    [Fact]
    public void After_a_restart_an_open_alert_read_from_its_SQLite_file_continues_and_clears_with_its_rule()
    {
        using var folder = new TempDataDirectory();
        string id;
        using (var world = new RuleWorld())
        using (var store = SqliteAlertStore.Open(folder.Path))
        {
            world.Rule("hot", Hot);
            world.Twin("m1");
            world.Send("m1", "temperature", 95);
            id = world.Last.Alert.Id;
            store.Write([.. world.Changes.Select(c => Stored(c.Alert))]);
        }

        using (var store = SqliteAlertStore.Open(folder.Path))
        using (var world = new RuleWorld())
        {
            world.Engine.Restore(store.Open().Select(json => Alert.FromJson(System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject())));
            world.Twin("m1");
            world.Rule("hot", Hot);
            Assert.Equal(1, world.Engine.OpenCount);
            world.Send("m1", "temperature", 91); // still above the clear threshold: nothing new
            Assert.Empty(world.Changes);
            world.Send("m1", "temperature", 80);
            Assert.Equal((id, AlertEventTypes.Resolved), (world.Last.Alert.Id, world.Last.Type));
            Assert.Equal(["raised", "resolved"], world.Last.Alert.Transitions.Select(t => t.State.Name()));
            store.Write([Stored(world.Last.Alert)]);
            Assert.Empty(store.Open());
        }
    }

    [Fact]
    public void After_a_restart_an_absence_counts_from_the_last_point_history_holds()
    {
        var live = new LiveTelemetry();
        live.Apply([new HistoryPoint("m1", "temperature", RuleWorld.Start - 3 * Minute, HistoryKind.Telemetry, 20, null)]);
        using var world = new RuleWorld(live);
        world.Twin("m1");
        world.Rule("silent", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"ABSENT('5m')","severity":"critical","message":"m"}""");

        world.Advance(2 * Minute);
        Assert.Equal(["raised"], world.Types);
        Assert.Equal(RuleWorld.Start + 2 * Minute, world.Last.Alert.RaisedTime);
    }

    [Fact]
    public async Task A_backtest_replays_history_on_the_points_clock_and_reports_when_and_where_it_fired()
    {
        using var folder = new TempDataDirectory();
        await using var history = DuckDbHistoryStore.Open(folder.Path);
        using var world = new RuleWorld();
        world.Twin("m1");
        world.Twin("m2");
        var rule = world.Rule("hot", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"temperature > 90","for":"2m","clear":"temperature < 85","severity":"major","message":"m"}""");
        var t0 = new DateTimeOffset(2026, 4, 20, 0, 0, 0, TimeSpan.Zero);
        double[] m1 = [80, 95, 96, 97, 88, 84, 95, 80];
        double[] m2 = [95, 80, 95, 80, 95, 80, 95, 80];
        await history.AppendAsync([.. m1.Select((v, i) => Point("m1", t0 + i * Minute, v)), .. m2.Select((v, i) => Point("m2", t0 + i * Minute, v))]);

        var result = await RuleBacktest.RunAsync(rule, world.Graph, world.Models, history, t0, t0 + 10 * Minute);

        // m1 holds above 90 from minute 1; the duration's timer fires at minute 3; it clears at minute 5 (84 < 85). m2 never holds for 2 minutes.
        Assert.Equal((2, 1), (result.Twins, result.Fired));
        var alert = Assert.Single(result.Alerts);
        Assert.Equal(("m1", t0 + 3 * Minute, (DateTimeOffset?)(t0 + 5 * Minute)), (alert.TwinId, alert.RaisedTime, alert.ResolvedTime));
        Assert.Equal([("m1", 1)], result.ByTwin);
    }

    [Fact]
    public async Task A_backtest_of_an_absence_reads_every_telemetry_and_fires_when_a_twin_went_silent()
    {
        using var folder = new TempDataDirectory();
        await using var history = DuckDbHistoryStore.Open(folder.Path);
        using var world = new RuleWorld();
        world.Twin("m1");
        var rule = world.Rule("silent", """{"scope":{"model":"dtmi:rules:Machine;1"},"condition":"ABSENT('5m')","severity":"critical","message":"m"}""");
        var t0 = new DateTimeOffset(2026, 4, 20, 0, 0, 0, TimeSpan.Zero);
        // A reading each minute from well before the range to minute 9, a silence of 8, then readings again.
        int[] minutes = [.. Enumerable.Range(-10, 20), 17, 18, 19];
        await history.AppendAsync([.. minutes.Select(m => new HistoryPoint("m1", "pressure", t0 + m * Minute, HistoryKind.Telemetry, m, null))]);

        var result = await RuleBacktest.RunAsync(rule, world.Graph, world.Models, history, t0, t0 + 20 * Minute);

        var alert = Assert.Single(result.Alerts);
        Assert.Equal((t0 + 14 * Minute, (DateTimeOffset?)(t0 + 17 * Minute)), (alert.RaisedTime, alert.ResolvedTime));
    }

    private static HistoryPoint Point(string twin, DateTimeOffset time, double value) => new(twin, "temperature", time, HistoryKind.Telemetry, value, null);

    private static StoredAlert Stored(Alert alert) =>
        new(alert.Id, alert.RuleId, alert.TwinId, alert.Severity.Name(), alert.State.Name(), alert.RaisedTime, alert.ToJson(transitions: true).ToJsonString());
}
