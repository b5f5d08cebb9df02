using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>The `doppel` command as a user runs it.</summary>
public sealed class CliTests
{
    private const string Valid = """
        {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Pump;1","@type":"Interface",
         "contents":[{"@type":"Property","name":"speed","schema":"double"}]}
        """;

    private const string Invalid = """
        {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Pump;1","@type":"Interface",
         "contents":[{"@type":"Property","name":"speed","schema":"doubel"}]}
        """;

    [Fact]
    public async Task Models_validate_exits_0_for_a_valid_set()
    {
        var file = Write(Valid);
        var (exit, stdout, _) = await DoppelProcess.RunAsync("models", "validate", file);
        Assert.Equal(0, exit);
        Assert.Equal("valid: 1 interface in 1 document (0 warnings)", stdout.Trim());
    }

    [Fact]
    public async Task Models_validate_exits_1_and_names_the_document_and_path_of_each_error()
    {
        var file = Write(Invalid);
        var (exit, stdout, _) = await DoppelProcess.RunAsync("models", "validate", file);
        Assert.Equal(1, exit);
        Assert.Contains(file, stdout);
        Assert.Contains("contents[0].schema", stdout);
    }

    [Fact]
    public async Task Models_validate_prints_machine_readable_errors_with_json()
    {
        var file = Write(Invalid);
        var (exit, stdout, _) = await DoppelProcess.RunAsync("models", "validate", "--json", file);
        Assert.Equal(1, exit);
        var result = JsonNode.Parse(stdout)!;
        Assert.False((bool)result["valid"]!);
        var error = result["errors"]!.AsArray().Single()!;
        Assert.Equal(file, (string?)error["document"]);
        Assert.Contains("contents[0].schema", (string?)error["path"]);
    }

    [Fact]
    public async Task Models_validate_exits_2_for_a_missing_file_or_a_bad_flag()
    {
        var (exit, _, stderr) = await DoppelProcess.RunAsync("models", "validate", "/no/such/file.json");
        Assert.Equal(2, exit);
        Assert.Contains("no such file", stderr);
        (exit, _, stderr) = await DoppelProcess.RunAsync("models", "validate", "--no-such-flag", Write(Valid));
        Assert.Equal(2, exit);
        Assert.Contains("--no-such-flag", stderr);
    }

    [Fact]
    public async Task Serve_reports_a_port_in_use_in_one_line_without_the_framework_traces()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("serve", "--data", Repository.TempFolder(), "--urls", $"http://127.0.0.1:{port}", "--mqtt-port", "0");
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"doppel: cannot listen on http://127.0.0.1:{port}: address already in use. Is another server running? Choose other ports with --urls.", stderr.Trim());
    }

    [Fact]
    public async Task Demo_reports_a_port_in_use_in_the_same_one_line_as_serve()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;

        var http = await DoppelProcess.RunAsync("demo", "--data", Repository.TempFolder(), "--urls", $"http://127.0.0.1:{port}", "--mqtt-port", "0");
        var mqtt = await DoppelProcess.RunAsync("demo", "--data", Repository.TempFolder(), "--urls", "http://127.0.0.1:0", "--mqtt-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((1, "", $"doppel: cannot listen on http://127.0.0.1:{port}: address already in use. Is another server running? Choose other ports with --urls."), (http.ExitCode, http.StdOut, http.StdErr.Trim()));
        Assert.Equal((1, ""), (mqtt.ExitCode, mqtt.StdOut));
        // The demo needs its broker: no --no-mqtt to suggest.
        Assert.Matches($@"^doppel: cannot start the MQTT broker on port {port}: [^\n]+\. Is another broker running\? Choose another with --mqtt-port\.$", mqtt.StdErr.Trim());
    }

    [Fact]
    public async Task Ctrl_C_stops_serve_and_watch_with_exit_130()
    {
        var data = Repository.TempFolder();
        await using var server = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        await using var watch = DoppelProcess.Start("watch", "--server", server.Address("http").ToString());
        await watch.WaitForLineAsync(line => line.StartsWith("stderr: doppel: watching ", StringComparison.Ordinal));

        Assert.Equal(130, await watch.InterruptAsync());
        Assert.Equal(130, await server.InterruptAsync());
        Assert.DoesNotContain("   at ", watch.Output + server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Twins_patch_takes_its_patch_inline_from_a_file_with_at_and_from_standard_input()
    {
        var data = Repository.TempFolder();
        await using var server = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        var url = server.Address("http").ToString();
        Assert.Equal(0, (await DoppelProcess.RunAsync("models", "import", Write(Valid), "--server", url)).ExitCode);
        var properties = Path.Combine(data, "properties.json");
        File.WriteAllText(properties, """{"speed": 1.5}""");
        Assert.Equal(0, (await DoppelProcess.RunAsync("twins", "create", "weld", "--model", "dtmi:test:Pump;1", "--properties", "@" + properties, "--server", url)).ExitCode);
        // A file with spaces and lines in it: one document, not more arguments.
        var patch = Path.Combine(data, "patch.json");
        File.WriteAllText(patch, """
            [
              { "op": "replace", "path": "/speed", "value": 2.5 }
            ]
            """);

        var fromFile = await DoppelProcess.RunAsync("twins", "patch", "weld", "@" + patch, "--server", url);
        Assert.True(fromFile.ExitCode == 0, fromFile.StdErr);
        Assert.Equal(2.5, (double)JsonNode.Parse((await DoppelProcess.RunAsync("twins", "get", "weld", "--server", url)).StdOut)!["speed"]!);

        var fromStdin = await DoppelProcess.RunWithInputAsync("""[{"op":"replace","path":"/speed","value":3.5}]""", "twins", "patch", "weld", "-", "--server", url);
        Assert.True(fromStdin.ExitCode == 0, fromStdin.StdErr);
        Assert.Equal(3.5, (double)JsonNode.Parse((await DoppelProcess.RunAsync("twins", "get", "weld", "--server", url)).StdOut)!["speed"]!);

        var missing = await DoppelProcess.RunAsync("twins", "patch", "weld", "@" + Path.Combine(data, "nope.json"), "--server", url);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"doppel: patch: no such file: {Path.Combine(data, "nope.json")}", missing.StdErr.Trim());
    }

    [Fact]
    public async Task Models_import_of_truncated_JSON_names_the_file_line_and_column_and_exits_2()
    {
        // Cut off after its second line, as a failed download leaves a file.
        var file = Write("""
            {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Pump;1","@type":"Interface",
             "contents":[{"@type":"Property","name":"speed",
            """);
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("models", "import", file, "--server", "http://127.0.0.1:9");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"doppel: {file}:2:48: not valid JSON: the JSON ends before every object and array is closed (is it cut short?).", stderr.Trim());
    }

    [Fact]
    public async Task Serve_refuses_bad_urls_as_a_usage_error()
    {
        var (exit, _, stderr) = await DoppelProcess.RunAsync("serve", "--data", Repository.TempFolder(), "--urls", "ftp://127.0.0.1:21");
        Assert.Equal(2, exit);
        Assert.Contains("ftp://127.0.0.1:21", stderr);
    }

    [Fact]
    public async Task Serve_refuses_a_data_folder_another_server_is_using()
    {
        var data = Repository.TempFolder();
        await using var first = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        var (exit, _, stderr) = await DoppelProcess.RunAsync("serve", "--data", data, "--urls", "http://127.0.0.1:0", "--mqtt-port", "0");
        Assert.Equal(1, exit);
        Assert.Contains("already in use", stderr);
    }

    [Fact]
    public async Task Client_commands_import_models_create_patch_get_query_and_delete_twins()
    {
        var data = Repository.TempFolder();
        await using var server = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        var url = server.Address("http").ToString();
        Assert.Equal(0, (await DoppelProcess.RunAsync("models", "import", Write(Valid), "--server", url)).ExitCode);
        var list = await DoppelProcess.RunAsync("models", "list", "--server", url);
        Assert.Contains("dtmi:test:Pump;1", list.StdOut);
        Assert.Equal(0, (await DoppelProcess.RunAsync("twins", "create", "pump-1", "--model", "dtmi:test:Pump;1", "--properties", """{"speed": 1.5}""", "--server", url)).ExitCode);
        Assert.Equal(0, (await DoppelProcess.RunAsync("twins", "patch", "pump-1", """[{"op":"replace","path":"/speed","value":2.5}]""", "--server", url)).ExitCode);
        var get = await DoppelProcess.RunAsync("twins", "get", "pump-1", "--server", url);
        Assert.Equal(2.5, (double)JsonNode.Parse(get.StdOut)!["speed"]!);
        var query = await DoppelProcess.RunAsync("query", "SELECT * FROM DIGITALTWINS WHERE speed > 2", "--server", url, "--json");
        Assert.Equal("pump-1", (string?)JsonNode.Parse(query.StdOut)!.AsArray().Single()!["$dtId"]);
        var bad = await DoppelProcess.RunAsync("twins", "patch", "pump-1", """[{"op":"replace","path":"/speed","value":"fast"}]""", "--server", url);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("ValidationFailed", bad.StdErr);
        Assert.Equal(0, (await DoppelProcess.RunAsync("twins", "delete", "pump-1", "--server", url)).ExitCode);
        Assert.Equal(1, (await DoppelProcess.RunAsync("twins", "get", "pump-1", "--server", url)).ExitCode);
    }

    private static string Write(string content)
    {
        var path = Path.Combine(Repository.TempFolder(), "model.json");
        File.WriteAllText(path, content);
        return path;
    }
}
