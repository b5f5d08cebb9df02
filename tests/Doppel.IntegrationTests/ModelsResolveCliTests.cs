using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>doppel models validate/import --resolve-from: dependencies come from a model repository, folder or URL.</summary>
public sealed class ModelsResolveCliTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Room = """
        { "@context": "dtmi:dtdl:context;4", "@id": "dtmi:resolve:Room;1", "@type": "Interface", "extends": "dtmi:resolve:Space;1",
          "contents": [ { "@type": "Component", "name": "air", "schema": "dtmi:resolve:AirSensor;1" } ] }
        """;

    private const string Space = """{ "@context": "dtmi:dtdl:context;3", "@id": "dtmi:resolve:Space;1", "@type": "Interface", "contents": [ { "@type": "Property", "name": "area", "schema": "double" } ] }""";

    private const string AirSensor = """{ "@context": "dtmi:dtdl:context;4", "@id": "dtmi:resolve:AirSensor;1", "@type": "Interface", "contents": [ { "@type": "Telemetry", "name": "co2", "schema": "unsignedShort" } ] }""";

    [Fact]
    public async Task Validate_resolves_missing_dependencies_from_a_folder_and_says_so()
    {
        var folder = Repository.TempFolder();
        var room = Write(folder, "room.json", Room);
        var repository = Path.Combine(folder, "repo");
        Write(repository, "dtmi/resolve/space-1.json", Space);
        Write(repository, "dtmi/resolve/airsensor-1.json", AirSensor);

        var without = await DoppelProcess.RunAsync("models", "validate", room);
        Assert.Equal(1, without.ExitCode);
        Assert.Contains("undefined-reference", without.StdOut);

        var with = await DoppelProcess.RunAsync("models", "validate", room, "--resolve-from", repository);
        Assert.True(with.ExitCode == 0, with.StdOut + with.StdErr);
        Assert.Contains("resolved: " + Path.Combine(repository, "dtmi", "resolve", "space-1.json"), with.StdOut);
        Assert.Contains("valid: 3 interfaces in 3 documents", with.StdOut);
    }

    [Fact]
    public async Task Validate_reports_an_unreachable_repository_in_one_line_and_exits_1()
    {
        var folder = Repository.TempFolder();
        var room = Write(folder, "room.json", Room);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("models", "validate", room, "--resolve-from", $"http://127.0.0.1:{port}/repo", "--json");
        Assert.Equal(1, exit);
        var output = JsonNode.Parse(stdout)!;
        Assert.False((bool)output["valid"]!);
        Assert.Contains(output["errors"]!.AsArray(), e => (string)e!["rule"]! == "repository-error" && ((string)e["message"]!).Contains("unreachable", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Import_uploads_the_dependencies_it_resolved_from_a_repository_url()
    {
        var folder = Repository.TempFolder();
        var room = Write(folder, "room.json", Room);
        using var repository = new HttpListener();
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        probe.Stop();
        repository.Prefixes.Add(url);
        repository.Start();
        var serving = Task.Run(async () =>
        {
            while (repository.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await repository.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var body = context.Request.Url!.AbsolutePath switch
                {
                    "/dtmi/resolve/space-1.json" => Space,
                    "/dtmi/resolve/airsensor-1.json" => AirSensor,
                    _ => null,
                };
                context.Response.StatusCode = body is null ? 404 : 200;
                await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body ?? ""));
                context.Response.Close();
            }
        });

        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("models", "import", room, "--resolve-from", url, "--server", server.Server.HttpAddress!.ToString());
        repository.Stop();
        await serving;

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("uploaded 3 models of 3", stdout);
        var list = await DoppelProcess.RunAsync("models", "list", "--json", "--server", server.Server.HttpAddress!.ToString());
        var ids = JsonNode.Parse(list.StdOut)!.AsArray().Select(m => (string)m!["id"]!).ToList();
        Assert.Contains("dtmi:resolve:Room;1", ids);
        Assert.Contains("dtmi:resolve:Space;1", ids);
        Assert.Contains("dtmi:resolve:AirSensor;1", ids);
    }

    private static string Write(string folder, string path, string json)
    {
        var file = Path.Combine(folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, json);
        return file;
    }
}
