using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// The predictor registry and live predictions through the real server: training in the background, uploads,
/// assignments, a prediction on every cycle published over MQTT (on the twin, in history, firing a rule), a restart,
/// a damaged predictor file, and requests refused with the reason.
/// </summary>
public sealed class PredictorTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    private string Model => $"dtmi:registry:t{_suffix}:Engine;1";

    private string Name(string name) => $"{name}-{_suffix}";

    [Fact]
    public async Task Telemetry_over_MQTT_gets_a_prediction_on_the_twin_and_in_history_and_a_rule_on_rul_raises_an_alert()
    {
        await server.PutModelsAsync($"[{Turbofans.Model(Model)}]");
        var predictor = Name("engines");
        var operation = await TrainAsync(server, predictor, new JsonObject
        {
            ["kind"] = "gbt",
            ["seed"] = 1,
            ["data"] = new JsonObject { ["format"] = "cmapss", ["name"] = "train_FD001_units1-10.txt", ["text"] = Turbofans.TrainText },
        });
        Assert.Equal(("succeeded", 1), ((string)operation["status"]!, (int)operation["version"]!));
        var shown = await server.SendOkAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}");
        Assert.Equal(("file train_FD001_units1-10.txt", 10, 2136), ((string)shown["training"]!["source"]!, (int)shown["training"]!["units"]!, (int)shown["training"]!["rows"]!));
        var channels = shown["channels"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal("cycle", channels[0]);
        Assert.Subset(new HashSet<string>(["cycle", .. Turbofans.Channels]), channels.ToHashSet());
        Assert.True((double)shown["metrics"]!["validation"]!["rmse"]! > 0);

        var assigned = await server.SendOkAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/assignments/{Uri.EscapeDataString(Model)}", "{}");
        Assert.Equal(Model, (string)assigned["assignments"]![0]!["model"]!);
        var twin = $"engine-{_suffix}";
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{twin}", Twin(Model));
        await server.SendOkAsync(HttpMethod.Put, $"/doppel/rules/{Name("rul-low")}", $$"""
            {"scope":{"model":"{{Model}}"},"condition":"rul < 40","severity":"major","message":"{twinId} has {value} cycles left"}
            """);
        await using var alerts = await SseStream.OpenAsync(server.Http, $"?twinId={twin}&types=alert");
        using var device = await Mqtt.ConnectAsync(server.Server.MqttPort!.Value, "dev-" + twin);

        // The last 40 cycles of training unit 1, which failed at its last cycle: the true RUL runs from 39 down to 0.
        var rows = Turbofans.Unit("train_FD001_units1-10.txt", 1);
        var start = Turbofans.Start(1);
        foreach (var (cycle, values) in rows.TakeLast(40))
        {
            await device.PublishAsync($"doppel/twins/{twin}/telemetry", Turbofans.Message(cycle, values, start));
        }

        var raised = await alerts.NextAsync();
        Assert.Equal("doppel.alert.raised", (string)raised.Json["type"]!);
        var last = rows[^1].Cycle;
        var state = await Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{twin}"),
            t => t["$metadata"]?["rul"]?["sourceTime"] is { } time && (DateTimeOffset)time == start.AddMinutes(last), "the prediction of the last cycle");
        Assert.Equal($"{predictor}@1", (string)state["rulPredictor"]!);
        var (rul, lower, upper) = ((double)state["rul"]!, (double)state["rulLower"]!, (double)state["rulUpper"]!);
        Assert.True(lower <= rul && rul <= upper, $"{lower} <= {rul} <= {upper}");
        Assert.InRange(rul, 0, 40);

        var history = (await server.SendOkAsync(HttpMethod.Get, $"/doppel/history/twins/{twin}?from=2000-01-01T00:00:00Z&names=rul"))["value"]!.AsArray();
        Assert.Equal(rows.TakeLast(40).Select(r => start.AddMinutes(r.Cycle)), history.Select(p => (DateTimeOffset)p!["time"]!));
        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Matches($"doppel_predictions_total\\{{[^}}]*predictor=\"{predictor}\"[^}}]*\\}} 40", metrics);
        Assert.Matches($"doppel_prediction_duration_milliseconds_count\\{{[^}}]*predictor=\"{predictor}\"[^}}]*\\}} 40", metrics);

        var explained = await server.SendOkAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}/explain?twinId={twin}");
        Assert.Equal((double)state["rul"]!, (double)explained["rul"]!);
        Assert.NotEmpty(explained["contributions"]!.AsArray());
    }

    [Fact]
    public async Task A_predictor_assigned_to_a_base_model_serves_the_twins_of_its_subtypes()
    {
        var baseModel = $"dtmi:registry:t{_suffix}:Machine;1";
        await server.PutModelsAsync($$"""[{{Turbofans.Model(baseModel)}}, {"@context":"dtmi:dtdl:context;3","@id":"{{Model}}","@type":"Interface","extends":"{{baseModel}}","contents":[]}]""");
        var predictor = Name("fleet");
        await UploadAsync(server, predictor, 1);
        await server.SendOkAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/assignments/{Uri.EscapeDataString(baseModel)}", """{"version":1}""");
        var twin = $"sub-{_suffix}";
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{twin}", Twin(Model));
        using var device = await Mqtt.ConnectAsync(server.Server.MqttPort!.Value, "dev-" + twin);
        var rows = Turbofans.Unit("test_FD001_units1-5.txt", 1);
        foreach (var (cycle, values) in rows.TakeLast(3))
        {
            await device.PublishAsync($"doppel/twins/{twin}/telemetry", Turbofans.Message(cycle, values, Turbofans.Start(1)));
        }
        var state = await Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{twin}"), t => t["rulPredictor"] is not null, "a prediction on the subtype's twin");
        Assert.Equal($"{predictor}@1", (string)state["rulPredictor"]!);
    }

    [Fact]
    public async Task The_registry_and_live_windows_survive_a_restart()
    {
        var folder = Repository.TempFolder();
        var predictor = "engines";
        var twin = "engine-7";
        var rows = Turbofans.Unit("test_FD001_units1-5.txt", 2);
        var start = Turbofans.Start(2);
        var first = new ServerFixture { DataDirectory = folder };
        await first.InitializeAsync();
        try
        {
            await first.PutModelsAsync($"[{Turbofans.Model(Model)}]");
            await UploadAsync(first, predictor, 1);
            await UploadAsync(first, predictor, 2);
            await first.SendOkAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/assignments/{Uri.EscapeDataString(Model)}", """{"version":1}""");
            await first.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{twin}", Twin(Model));
            using var device = await Mqtt.ConnectAsync(first.Server.MqttPort!.Value, "dev-" + twin);
            foreach (var (cycle, values) in rows.SkipLast(1))
            {
                await device.PublishAsync($"doppel/twins/{twin}/telemetry", Turbofans.Message(cycle, values, start));
            }
            await Poll.UntilAsync(() => first.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{twin}"),
                t => t["$metadata"]?["rul"]?["sourceTime"] is { } time && (DateTimeOffset)time == start.AddMinutes(rows[^2].Cycle), "the prediction of the last cycle before the restart");
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new ServerFixture { DataDirectory = folder };
        await second.InitializeAsync();
        try
        {
            var shown = await second.SendOkAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}");
            Assert.Equal([1, 2], shown["versions"]!.AsArray().Select(v => (int)v!["version"]!));
            Assert.Equal((Model, (int?)1), ((string)shown["assignments"]![0]!["model"]!, (int?)shown["assignments"]![0]!["version"]));
            var version1 = await second.SendOkAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}/versions/1");
            using (var file = await second.Http.GetAsync($"/doppel/predictors/{predictor}/versions/1/file?api-version={ServerFixture.ApiVersion}"))
            {
                Assert.Equal((long)version1["file"]!["bytes"]!, (await file.Content.ReadAsByteArrayAsync()).Length);
            }

            // One more cycle: the window is rebuilt from history, so the prediction reads the whole window, not one row.
            using var device = await Mqtt.ConnectAsync(second.Server.MqttPort!.Value, "dev-" + twin);
            await device.PublishAsync($"doppel/twins/{twin}/telemetry", Turbofans.Message(rows[^1].Cycle, rows[^1].Values, start));
            var state = await Poll.UntilAsync(() => second.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{twin}"),
                t => t["$metadata"]?["rul"]?["sourceTime"] is { } time && (DateTimeOffset)time == start.AddMinutes(rows[^1].Cycle), "the prediction after the restart");
            var explained = await second.SendOkAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}/explain?twinId={twin}&version=1");
            Assert.Equal((double)explained["rul"]!, (double)state["rul"]!);
            Assert.Equal(Math.Min(rows.Count, (int)version1["window"]!), (int)explained["rows"]!);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_damaged_predictor_file_is_counted_and_leaves_ingest_and_the_twin_alone()
    {
        var folder = Repository.TempFolder();
        var twin = "engine-9";
        var first = new ServerFixture { DataDirectory = folder };
        await first.InitializeAsync();
        try
        {
            await first.PutModelsAsync($"[{Turbofans.Model(Model)}]");
            await UploadAsync(first, "broken", 1);
            await first.SendOkAsync(HttpMethod.Put, $"/doppel/predictors/broken/assignments/{Uri.EscapeDataString(Model)}", "{}");
            await first.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{twin}", Twin(Model));
        }
        finally
        {
            await first.DisposeAsync();
        }
        // A disk fault flips bytes in the middle of the stored file.
        var path = Path.Combine(folder, "predictors", "broken", "v1.bin");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);

        var second = new ServerFixture { DataDirectory = folder };
        await second.InitializeAsync();
        try
        {
            using var device = await Mqtt.ConnectAsync(second.Server.MqttPort!.Value, "dev-" + twin);
            var rows = Turbofans.Unit("test_FD001_units1-5.txt", 3);
            var start = Turbofans.Start(1);
            foreach (var (cycle, values) in rows.Take(5))
            {
                var ack = await device.PublishAsync($"doppel/twins/{twin}/telemetry", Turbofans.Message(cycle, values, start));
                Assert.True(ack.IsSuccess, ack.ReasonString);
            }
            await Poll.UntilAsync(() => second.Http.GetStringAsync("/metrics"), m => System.Text.RegularExpressions.Regex.IsMatch(m, "doppel_prediction_failures_total\\{[^}]*predictor=\"broken\"[^}]*\\} 5"), "five failures counted");
            var history = (await second.SendOkAsync(HttpMethod.Get, $"/doppel/history/twins/{twin}?from=2000-01-01T00:00:00Z&names=t24,rul"))["value"]!.AsArray();
            Assert.Equal(5, history.Count(p => (string)p!["name"]! == "t24"));
            Assert.DoesNotContain(history, p => (string)p!["name"]! == "rul");
            var state = await second.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{twin}");
            Assert.Null(state["rul"]);
            using var explain = await second.SendAsync(HttpMethod.Get, $"/doppel/predictors/broken/explain?twinId={twin}");
            Assert.Equal(409, (int)explain.StatusCode);
            Assert.Contains("damaged", await explain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_model_without_the_output_properties_is_refused_naming_them()
    {
        var bare = $"dtmi:registry:t{_suffix}:Bare;1";
        await server.PutModelsAsync($"[{Turbofans.Model(bare, outputs: false)}]");
        var predictor = Name("refused");
        await UploadAsync(server, predictor, 1);
        var error = await FailAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/assignments/{Uri.EscapeDataString(bare)}", "{}", 400, "ValidationFailed");
        Assert.Contains("rul (double), rulLower (double), rulUpper (double), rulPredictor (string)", error, StringComparison.Ordinal);
        Assert.Empty((await server.SendOkAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}"))["assignments"]!.AsArray());
    }

    [Theory]
    [InlineData("Engines", """{"data":{"format":"cmapss","text":"1 1 0 0 100"}}""", "is not a predictor name")]
    [InlineData("x", """{"kind":"forest","data":{"format":"cmapss","text":"1"}}""", "kind: 'forest' is not a predictor kind")]
    [InlineData("x", """{"seed":1.5,"data":{"format":"csv","text":"unit,cycle,a"}}""", "seed: must be an integer")]
    [InlineData("x", """{"coverage":1.2,"data":{"format":"csv","text":"unit,cycle,a"}}""", "coverage: 1.2 is not a probability")]
    [InlineData("x", """{"sead":1,"data":{"format":"csv","text":"unit,cycle,a"}}""", "unknown key 'sead'; did you mean 'seed'?")]
    [InlineData("x", """{}""", "Give either \"data\"")]
    [InlineData("x", """{"data":{"format":"parquet","text":"x"}}""", "'parquet' is not a data format")]
    [InlineData("x", """{"data":{"format":"csv","text":"unit,cycle,a\n1,1,0.5\n1,2,oops"}}""", "line 3: 'oops' in column a is not a finite number")]
    [InlineData("x", """{"data":{"format":"csv","text":"unit,cycle,a\n1,2,0.5\n1,1,0.7"}}""", "line 3: cycle 1 of unit '1' does not follow cycle 2")]
    [InlineData("x", """{"sensors":["t42"],"data":{"format":"csv","text":"unit,cycle,t24\n1,1,0.5\n1,2,0.6"}}""", "sensors: 't42' is not a channel of the data; did you mean 't24'?")]
    [InlineData("x", """{"history":{"model":"dtmi:no:Such;1"}}""", "history.model: there is no model 'dtmi:no:Such;1'")]
    [InlineData("x", """[1]""", "must be a JSON object")]
    public async Task A_bad_training_request_is_refused_with_where_and_why_and_nothing_is_stored(string name, string body, string expected)
    {
        var before = (await server.SendOkAsync(HttpMethod.Get, "/doppel/predictors"))["value"]!.ToJsonString();
        var error = await FailAsync(HttpMethod.Post, $"/doppel/predictors/{name}/train", body, 400, null);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(before, (await server.SendOkAsync(HttpMethod.Get, "/doppel/predictors"))["value"]!.ToJsonString());
    }

    [Fact]
    public async Task Uploads_deletes_assignments_and_lookups_that_cannot_be_done_are_refused_with_the_reason()
    {
        await server.PutModelsAsync($"[{Turbofans.Model(Model)}]");
        var predictor = Name("guarded");
        var other = Name("other");
        await UploadAsync(server, predictor, 1);
        await UploadAsync(server, other, 1);

        Assert.Contains("so the next is 2, not 5", await FailAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/versions/5", null, 409, "PredictorVersionConflict", Turbofans.PredictorFile), StringComparison.Ordinal);
        Assert.Contains("not a predictor file", await FailAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/versions/2", null, 400, "InvalidArgument", "definitely not a model"u8.ToArray()), StringComparison.Ordinal);
        Assert.Contains("has no version 9", await FailAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/assignments/{Uri.EscapeDataString(Model)}", """{"version":9}""", 400, "PredictorNotFound"), StringComparison.Ordinal);
        Assert.Contains("no model 'dtmi:no:Such;1'", await FailAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/assignments/{Uri.EscapeDataString("dtmi:no:Such;1")}", "{}", 400, "ModelNotFound"), StringComparison.Ordinal);
        Assert.Contains("unknown key 'verison'", await FailAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/assignments/{Uri.EscapeDataString(Model)}", """{"verison":1}""", 400, "InvalidArgument"), StringComparison.Ordinal);

        await server.SendOkAsync(HttpMethod.Put, $"/doppel/predictors/{predictor}/assignments/{Uri.EscapeDataString(Model)}", "{}");
        Assert.Contains($"assigned predictor '{predictor}' already", await FailAsync(HttpMethod.Put, $"/doppel/predictors/{other}/assignments/{Uri.EscapeDataString(Model)}", "{}", 409, "PredictorAssignmentConflict"), StringComparison.Ordinal);
        Assert.Contains("unassign it before deleting it", await FailAsync(HttpMethod.Delete, $"/doppel/predictors/{predictor}", null, 409, "PredictorInUse"), StringComparison.Ordinal);
        Assert.Contains($"not assigned to any model", await FailAsync(HttpMethod.Delete, $"/doppel/predictors/{other}/assignments/{Uri.EscapeDataString(Model)}", null, 404, "AssignmentNotFound"), StringComparison.Ordinal);
        Assert.Contains("?twinId=", await FailAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}/explain", null, 400, "InvalidArgument"), StringComparison.Ordinal);
        Assert.Contains("no digital twin with id 'ghost'", await FailAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}/explain?twinId=ghost", null, 404, "DigitalTwinNotFound"), StringComparison.Ordinal);
        Assert.Contains("no predictor named 'nobody'", await FailAsync(HttpMethod.Get, "/doppel/predictors/nobody", null, 404, "PredictorNotFound"), StringComparison.Ordinal);
        Assert.Contains("no training operation", await FailAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}/operations/nope", null, 404, "PredictorOperationNotFound"), StringComparison.Ordinal);

        // Nothing was disturbed: one version each, the one assignment, and both still listed.
        var shown = await server.SendOkAsync(HttpMethod.Get, $"/doppel/predictors/{predictor}");
        Assert.Equal([1], shown["versions"]!.AsArray().Select(v => (int)v!["version"]!));
        Assert.Equal([Model], shown["assignments"]!.AsArray().Select(a => (string)a!["model"]!));

        using (var unassign = await server.SendAsync(HttpMethod.Delete, $"/doppel/predictors/{predictor}/assignments/{Uri.EscapeDataString(Model)}"))
        {
            Assert.Equal(204, (int)unassign.StatusCode);
        }
        using (var delete = await server.SendAsync(HttpMethod.Delete, $"/doppel/predictors/{predictor}"))
        {
            Assert.Equal(204, (int)delete.StatusCode);
        }
        Assert.DoesNotContain(predictor, (await server.SendOkAsync(HttpMethod.Get, "/doppel/predictors"))["value"]!.AsArray().Select(p => (string)p!["name"]!));
    }

    [Fact]
    public async Task Evaluating_on_test_units_with_their_true_RUL_gives_the_metrics()
    {
        var predictor = Name("scored");
        await UploadAsync(server, predictor, 1);
        var result = await server.SendOkAsync(HttpMethod.Post, $"/doppel/predictors/{predictor}/evaluate", new JsonObject
        {
            ["data"] = new JsonObject { ["format"] = "cmapss", ["text"] = await File.ReadAllTextAsync(Turbofans.DataPath("test_FD001_units1-5.txt")) },
            ["truth"] = await File.ReadAllTextAsync(Turbofans.DataPath("RUL_FD001_units1-5.txt")),
        }.ToJsonString());
        Assert.Equal(5, (int)result["metrics"]!["units"]!);
        Assert.InRange((double)result["metrics"]!["rmse"]!, 0, 100);
        Assert.Contains("5 unit(s)", await FailAsync(HttpMethod.Post, $"/doppel/predictors/{predictor}/evaluate", new JsonObject
        {
            ["data"] = new JsonObject { ["format"] = "cmapss", ["text"] = await File.ReadAllTextAsync(Turbofans.DataPath("test_FD001_units1-5.txt")) },
            ["truth"] = "112\n98\n",
        }.ToJsonString(), 400, "InvalidArgument"), StringComparison.Ordinal);
    }

    private static string Twin(string model) => new JsonObject { ["$metadata"] = new JsonObject { ["$model"] = model } }.ToJsonString();

    [Fact]
    public async Task A_predictor_trains_on_the_history_of_a_models_twins_each_twin_one_run_to_failure()
    {
        var model = $"dtmi:registry:t{_suffix}:Bearing;1";
        await server.PutModelsAsync($$"""
            [{"@context":"dtmi:dtdl:context;3","@id":"{{model}}","@type":"Interface","contents":[
              {"@type":"Telemetry","name":"cycle","schema":"integer"},{"@type":"Telemetry","name":"heat","schema":"double"},
              {"@type":"Telemetry","name":"flow","schema":"double"},{"@type":"Telemetry","name":"label","schema":"string"}]}]
            """);
        // Three bearings that wore out over 60, 75 and 90 cycles, one a minute, recorded in history.
        var start = Turbofans.Start(3);
        var lines = new System.Text.StringBuilder();
        foreach (var (unit, life) in new[] { (1, 60), (2, 75), (3, 90) })
        {
            var twin = $"bearing-{unit}-{_suffix}";
            await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{twin}", Twin(model));
            for (var cycle = 1; cycle <= life; cycle++)
            {
                var wear = cycle / (double)life;
                lines.Append(new JsonObject
                {
                    ["twinId"] = twin,
                    ["time"] = start.AddMinutes(cycle).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["values"] = new JsonObject { ["cycle"] = cycle, ["heat"] = 500 + (40 * wear) + (cycle % 3), ["flow"] = 20 - (5 * wear) },
                }.ToJsonString()).Append('\n');
            }
        }
        await server.SendOkAsync(HttpMethod.Post, "/doppel/ingest", lines.ToString(), "application/x-ndjson");

        var to = start.AddHours(3);
        var operation = await TrainAsync(server, Name("bearings"), new JsonObject
        {
            ["kind"] = "gbt",
            ["history"] = new JsonObject { ["model"] = model, ["from"] = start.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["to"] = to.ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
        });

        Assert.True((string)operation["status"]! == "succeeded", operation.ToJsonString());
        var training = operation["predictor"]!["training"]!;
        Assert.Equal(($"history {model}", 3, 225), ((string)training["source"]!, (int)training["units"]!, (int)training["rows"]!));
        Assert.Equal((start, to), ((DateTimeOffset)training["from"]!, (DateTimeOffset)training["to"]!));
        Assert.Equal(["cycle", "flow", "heat"], operation["predictor"]!["channels"]!.AsArray().Select(c => (string)c!).Order(StringComparer.Ordinal));

        using var empty = await server.SendAsync(HttpMethod.Post, $"/doppel/predictors/{Name("empty")}/train", new JsonObject
        {
            ["history"] = new JsonObject { ["model"] = model, ["from"] = "2001-01-01T00:00:00Z", ["to"] = "2001-02-01T00:00:00Z" },
        }.ToJsonString());
        var failed = await Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, new Uri(empty.Headers.GetValues("Operation-Location").Single()).PathAndQuery),
            o => (string)o["status"]! is "succeeded" or "failed", "the empty training to finish");
        Assert.Equal("failed", (string)failed["status"]!);
        Assert.Contains("has two or more rows of cycle, flow, heat", (string)failed["error"]!["message"]!, StringComparison.Ordinal);
        Assert.Contains("history.channels: 'label' is not numeric telemetry", await FailAsync(HttpMethod.Post, $"/doppel/predictors/{Name("label")}/train", new JsonObject
        {
            ["history"] = new JsonObject { ["model"] = model, ["channels"] = new JsonArray("heat", "label") },
        }.ToJsonString(), 400, "InvalidArgument"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_sees_predictors_but_may_not_change_them_and_every_change_is_audited()
    {
        var secured = new ServerFixture { Configure = o => o.RequireAuthentication = true };
        await secured.InitializeAsync();
        try
        {
            var ownerKey = (await File.ReadAllTextAsync(Path.Combine(secured.DataDirectory, "admin.key"))).Trim();
            secured.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ownerKey);
            await UploadAsync(secured, "guarded", 1);
            var readerKey = (string)(await secured.SendOkAsync(HttpMethod.Post, "/doppel/auth/keys", """{"name":"viewer","role":"reader"}"""))["key"]!;
            await secured.PutModelsAsync($"[{Turbofans.Model(Model)}]");

            secured.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", readerKey);
            Assert.Equal(["guarded"], (await secured.SendOkAsync(HttpMethod.Get, "/doppel/predictors"))["value"]!.AsArray().Select(p => (string)p!["name"]!));
            foreach (var (method, path, body) in new[]
            {
                (HttpMethod.Post, "/doppel/predictors/guarded/train", """{"data":{"format":"csv","text":"unit,cycle,a"}}"""),
                (HttpMethod.Put, $"/doppel/predictors/guarded/assignments/{Uri.EscapeDataString(Model)}", "{}"),
                (HttpMethod.Delete, "/doppel/predictors/guarded", (string?)null),
            })
            {
                using var refused = await secured.SendAsync(method, path, body);
                Assert.Equal(403, (int)refused.StatusCode);
                Assert.Contains("may not write predictors", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            secured.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ownerKey);
            await secured.SendOkAsync(HttpMethod.Put, $"/doppel/predictors/guarded/assignments/{Uri.EscapeDataString(Model)}", "{}");
            var audit = (await secured.SendOkAsync(HttpMethod.Get, "/doppel/audit?resourceKind=predictor"))["value"]!.AsArray();
            Assert.Contains(audit, r => (string)r!["action"]! == "predictor.upload" && (string)r["resourceId"]! == "guarded");
            Assert.Contains(audit, r => (string)r!["action"]! == "predictor.assign" && (string)r["resourceId"]! == "guarded");
        }
        finally
        {
            await secured.DisposeAsync();
        }
    }

    /// <summary>Trains over REST and waits for the operation to finish; returns its final state.</summary>
    internal static async Task<JsonNode> TrainAsync(ServerFixture on, string name, JsonObject body)
    {
        using var response = await on.SendAsync(HttpMethod.Post, $"/doppel/predictors/{name}/train", body.ToJsonString());
        Assert.Equal(202, (int)response.StatusCode);
        var location = response.Headers.GetValues("Operation-Location").Single();
        return await Poll.UntilAsync(() => on.SendOkAsync(HttpMethod.Get, new Uri(location).PathAndQuery),
            o => (string)o["status"]! is "succeeded" or "failed", "the training to finish", TimeSpan.FromMinutes(5));
    }

    /// <summary>Uploads the test predictor file as a version.</summary>
    internal static async Task UploadAsync(ServerFixture on, string name, int version)
    {
        using var content = new ByteArrayContent(Turbofans.PredictorFile);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await on.SendAsync(HttpMethod.Put, $"/doppel/predictors/{name}/versions/{version}", configure: r => r.Content = content);
        Assert.True(201 == (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> FailAsync(HttpMethod method, string path, string? json, int status, string? code, byte[]? bytes = null)
    {
        using var response = await server.SendAsync(method, path, json, configure: bytes is null ? null : r => r.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!;
        if (code is not null)
        {
            Assert.Equal(code, (string)error["code"]!);
        }
        return (string)error["message"]!;
    }
}
