using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary><c>doppel predict</c> as a user runs it: on files without a server, and against a real server's registry.</summary>
public sealed class PredictCliTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly string _folder = Repository.TempFolder();

    private string Url => server.Server.HttpAddress!.ToString().TrimEnd('/');

    [Fact]
    public async Task A_predictor_trained_and_evaluated_on_files_is_uploaded_assigned_explained_and_deleted()
    {
        var file = Path.Combine(_folder, "model.bin");
        var train = await DoppelProcess.RunAsync("predict", "train", "--data", Turbofans.DataPath("train_FD001_units1-10.txt"), "--kind", "gbt", "--seed", "3", "--out", file);
        Assert.True(train.ExitCode == 0, train.StdErr);
        Assert.Contains("Trained gbt on 10 units (2136 rows)", train.StdOut, StringComparison.Ordinal);
        Assert.True(new FileInfo(file).Length > 0);

        var evaluate = await DoppelProcess.RunAsync("predict", "evaluate", "--model", file, "--data", Turbofans.DataPath("test_FD001_units1-5.txt"), "--truth", Turbofans.DataPath("RUL_FD001_units1-5.txt"), "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.StdErr);
        var metrics = JsonNode.Parse(evaluate.StdOut)!["metrics"]!;
        Assert.Equal(5, (int)metrics["units"]!);
        Assert.InRange((double)metrics["rmse"]!, 0, 100);

        var model = $"dtmi:predictcli:t{_suffix}:Engine;1";
        await server.PutModelsAsync($"[{Turbofans.Model(model)}]");
        var name = $"cli-{_suffix}";
        var upload = await DoppelProcess.RunAsync("predict", "upload", name, file, "--server", Url);
        Assert.True(upload.ExitCode == 0, upload.StdErr);
        Assert.Contains($"Stored {name}@1 (gbt", upload.StdOut, StringComparison.Ordinal);
        var onServer = await DoppelProcess.RunAsync("predict", "evaluate", name, "--data", Turbofans.DataPath("test_FD001_units1-5.txt"), "--truth", Turbofans.DataPath("RUL_FD001_units1-5.txt"), "--json", "--server", Url);
        Assert.True(onServer.ExitCode == 0, onServer.StdErr);
        Assert.Equal((double)metrics["rmse"]!, (double)JsonNode.Parse(onServer.StdOut)!["metrics"]!["rmse"]!);

        var assign = await DoppelProcess.RunAsync("predict", "assign", name, model, "--server", Url);
        Assert.True(assign.ExitCode == 0, assign.StdErr);
        var list = await DoppelProcess.RunAsync("predict", "list", "--json", "--server", Url);
        var listed = JsonNode.Parse(list.StdOut)!.AsArray().Single(p => (string)p!["name"]! == name)!;
        Assert.Equal((1, model), ((int)listed["version"]!, (string)listed["assigned"]!));

        var twin = $"cli-engine-{_suffix}";
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{twin}", new JsonObject { ["$metadata"] = new JsonObject { ["$model"] = model } }.ToJsonString());
        var start = Turbofans.Start(1);
        foreach (var (cycle, values) in Turbofans.Unit("test_FD001_units1-5.txt", 4).TakeLast(5))
        {
            var message = JsonNode.Parse(Turbofans.Message(cycle, values, start))!.AsObject();
            var time = message["$sourceTime"]!.DeepClone();
            message.Remove("$sourceTime");
            await server.SendOkAsync(HttpMethod.Post, "/doppel/ingest", new JsonObject { ["twinId"] = twin, ["time"] = time, ["values"] = message }.ToJsonString());
        }
        var explain = await DoppelProcess.RunAsync("predict", "explain", name, "--twin", twin, "--server", Url);
        Assert.True(explain.ExitCode == 0, explain.StdErr);
        Assert.Contains($"{twin}: RUL ", explain.StdOut, StringComparison.Ordinal);
        Assert.Contains("from its newest 5 row(s)", explain.StdOut, StringComparison.Ordinal);

        var refused = await DoppelProcess.RunAsync("predict", "delete", name, "--server", Url);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("unassign it before deleting it", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, (await DoppelProcess.RunAsync("predict", "unassign", name, model, "--server", Url)).ExitCode);
        var delete = await DoppelProcess.RunAsync("predict", "delete", name, "--server", Url);
        Assert.True(delete.ExitCode == 0, delete.StdErr);
        var show = await DoppelProcess.RunAsync("predict", "show", name, "--server", Url);
        Assert.Equal(1, show.ExitCode);
        Assert.Contains("PredictorNotFound", show.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_against_a_server_uploads_a_CSV_and_waits_for_the_new_version()
    {
        // Three units that wear out linearly: a channel that climbs with age, one that falls, one that holds.
        var csv = new StringBuilder("unit,cycle,heat,flow,constant\n");
        foreach (var (unit, life) in new[] { (1, 60), (2, 75), (3, 90) })
        {
            for (var cycle = 1; cycle <= life; cycle++)
            {
                var wear = cycle / (double)life;
                csv.Append(CultureInfo.InvariantCulture, $"{unit},{cycle},{500 + 40 * wear + (cycle % 3)},{20 - 5 * wear},7\n");
            }
        }
        var file = Path.Combine(_folder, "wear.csv");
        await File.WriteAllTextAsync(file, csv.ToString());
        var name = $"csv-{_suffix}";

        var train = await DoppelProcess.RunAsync("predict", "train", name, "--data", file, "--kind", "gbt", "--server", Url);

        Assert.True(train.ExitCode == 0, train.StdErr);
        Assert.Contains($"Trained {name}@1 (gbt) on 3 units", train.StdOut, StringComparison.Ordinal);
        var shown = await server.SendOkAsync(HttpMethod.Get, $"/doppel/predictors/{name}");
        Assert.Equal("file wear.csv", (string)shown["training"]!["source"]!);
        Assert.Equal("cycle", (string)shown["channels"]![0]!);
    }

    [Fact]
    public async Task Mistakes_are_refused_in_one_line_with_the_reason()
    {
        var noName = await DoppelProcess.RunAsync("predict", "train", "--data", Turbofans.DataPath("train_FD001_units1-10.txt"), "--server", Url);
        Assert.Equal((2, "doppel: train needs the predictor's name (or --out FILE to train here without a server)."), (noName.ExitCode, noName.StdErr.Trim()));
        var missing = await DoppelProcess.RunAsync("predict", "evaluate", "--model", Path.Combine(_folder, "nope.bin"), "--data", Turbofans.DataPath("test_FD001_units1-5.txt"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such file", missing.StdErr, StringComparison.Ordinal);
        var bad = Path.Combine(_folder, "bad.txt");
        await File.WriteAllTextAsync(bad, "1 1 0.1\n");
        var malformed = await DoppelProcess.RunAsync("predict", "train", "--data", bad, "--out", Path.Combine(_folder, "m.bin"));
        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("line 1", malformed.StdErr, StringComparison.Ordinal);
        var notAModel = await DoppelProcess.RunAsync("predict", "evaluate", "--model", bad, "--data", Turbofans.DataPath("test_FD001_units1-5.txt"));
        Assert.Equal(1, notAModel.ExitCode);
        Assert.Contains("is not a predictor file", notAModel.StdErr, StringComparison.Ordinal);
    }
}
