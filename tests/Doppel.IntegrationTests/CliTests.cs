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
        Assert.Contains("valid: 1 interfaces", stdout);
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
    public async Task Serve_reports_a_port_in_use_clearly()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var (exit, _, stderr) = await DoppelProcess.RunAsync("serve", "--data", Repository.TempFolder(), "--urls", $"http://127.0.0.1:{port}", "--mqtt-port", "0");
        Assert.Equal(1, exit);
        Assert.Contains("cannot listen", stderr);
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
