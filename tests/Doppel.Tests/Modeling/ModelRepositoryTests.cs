using System.Net;
using System.Net.Sockets;
using Doppel.Modeling;

namespace Doppel.Tests.Modeling;

/// <summary>Missing dependencies come from model repositories (DTMI path convention), folders or http(s) URLs.</summary>
public sealed class ModelRepositoryTests : IDisposable
{
    private const string Controller = """
        { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Controller;1", "@type": "Interface", "extends": "dtmi:com:example:Base;1",
          "contents": [ { "@type": "Component", "name": "thermostat", "schema": "dtmi:com:example:Thermostat;1" } ] }
        """;

    private const string Thermostat = """
        { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Thermostat;1", "@type": "Interface", "extends": "dtmi:com:example:Probe;2",
          "contents": [ { "@type": "Property", "name": "setPoint", "schema": "double" } ] }
        """;

    private const string Probe = """{ "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Probe;2", "@type": "Interface", "contents": [ { "@type": "Telemetry", "name": "t", "schema": "double" } ] }""";

    private const string Base = """{ "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Base;1", "@type": "Interface" }""";

    private readonly string _root = Directory.CreateTempSubdirectory("doppel-repo-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("dtmi:com:example:Thermostat;1", false, "dtmi/com/example/thermostat-1.json")]
    [InlineData("dtmi:com:Example:TempSensor;12", true, "dtmi/com/example/tempsensor-12.expanded.json")]
    public void Paths_follow_the_dtmi_repository_convention(string id, bool expanded, string path) =>
        Assert.Equal(path, ModelRepository.PathOf(new Dtmi(id), expanded));

    [Fact]
    public async Task Missing_dependencies_are_resolved_transitively_from_a_folder()
    {
        Write("dtmi/com/example/thermostat-1.json", Thermostat);
        Write("dtmi/com/example/probe-2.json", Probe);
        Write("dtmi/com/example/base-1.json", Base);

        var resolution = await Resolve([_root]);

        Assert.True(resolution.IsValid, string.Join("\n", resolution.Errors));
        Assert.Equal(3, resolution.Fetched.Count);
        Assert.Equal(4, resolution.Result.Interfaces.Count);
        Assert.Empty(resolution.Result.MissingDependencies);
    }

    [Fact]
    public async Task The_expanded_form_brings_a_model_with_its_dependencies()
    {
        Write("dtmi/com/example/thermostat-1.expanded.json", $"[{Thermostat},{Probe}]");
        Write("dtmi/com/example/base-1.json", Base);

        var resolution = await Resolve([_root]);

        Assert.True(resolution.IsValid, string.Join("\n", resolution.Errors));
        Assert.Contains(resolution.Fetched, d => d.Name.EndsWith("thermostat-1.expanded.json", StringComparison.Ordinal));
        Assert.Equal(2, resolution.Fetched.Count);
    }

    [Fact]
    public async Task A_dependency_no_repository_has_stays_an_undefined_reference()
    {
        Write("dtmi/com/example/thermostat-1.json", Thermostat);

        var resolution = await Resolve([_root]);

        Assert.False(resolution.IsValid);
        Assert.Contains(resolution.Errors, e => e.Rule == "undefined-reference" && e.Message.Contains("dtmi:com:example:Probe;2", StringComparison.Ordinal));
        Assert.Contains(resolution.Errors, e => e.Rule == "undefined-reference" && e.Message.Contains("dtmi:com:example:Base;1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Models_are_fetched_over_http_from_a_repository_url_and_later_locations_are_tried_in_turn()
    {
        using var server = new RepositoryServer(path => path switch
        {
            "/models/dtmi/com/example/thermostat-1.json" => (200, Thermostat),
            "/models/dtmi/com/example/probe-2.expanded.json" => (200, $"[{Probe}]"),
            _ => (404, ""),
        });
        Write("dtmi/com/example/base-1.json", Base);

        var resolution = await Resolve([server.Url + "models", _root]);

        Assert.True(resolution.IsValid, string.Join("\n", resolution.Errors));
        Assert.Contains(resolution.Fetched, d => d.Name == server.Url + "models/dtmi/com/example/thermostat-1.json");
        Assert.Contains(resolution.Fetched, d => d.Name.EndsWith("base-1.json", StringComparison.Ordinal));
        Assert.Contains("/models/dtmi/com/example/thermostat-1.expanded.json", server.Requests);
    }

    [Fact]
    public async Task An_unreachable_repository_is_a_clear_error()
    {
        var port = FreePort();
        var resolution = await Resolve([$"http://127.0.0.1:{port}/"]);

        var error = Assert.Single(resolution.RepositoryErrors, e => e.Rule == "repository-error" && e.Document.Contains("base-1", StringComparison.Ordinal));
        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
        Assert.Contains(resolution.Errors, e => e.Rule == "undefined-reference");
    }

    [Fact]
    public async Task A_repository_serving_garbage_failures_or_the_wrong_model_gives_errors_not_exceptions()
    {
        using var server = new RepositoryServer(path => path switch
        {
            "/dtmi/com/example/thermostat-1.json" => (200, "{ this is not json"),
            "/dtmi/com/example/base-1.expanded.json" => (500, "boom"),
            _ => (404, ""),
        });
        var garbage = await Resolve([server.Url]);
        Assert.Contains(garbage.Errors, e => e.Rule == "json-syntax" && e.Document == server.Url + "dtmi/com/example/thermostat-1.json");
        Assert.Contains(garbage.RepositoryErrors, e => e.Rule == "repository-error" && e.Message.Contains("500", StringComparison.Ordinal));

        Write("dtmi/com/example/thermostat-1.json", Probe);
        var wrong = await Resolve([_root]);
        Assert.Contains(wrong.RepositoryErrors, e => e.Rule == "repository-mismatch" && e.Message.Contains("dtmi:com:example:Thermostat;1", StringComparison.Ordinal));

        var missingFolder = await Resolve([Path.Combine(_root, "nope")]);
        Assert.Contains(missingFolder.RepositoryErrors, e => e.Message.Contains("does not exist", StringComparison.Ordinal));
    }

    private Task<ModelResolution> Resolve(string[] locations) =>
        new ModelRepository(locations, _http).ResolveAsync([new ModelDocument("controller.json", Controller)], new ModelParser());

    private void Write(string path, string json)
    {
        var file = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, json);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A real HTTP server on a free loopback port, answering each path from a table.</summary>
    private sealed class RepositoryServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public RepositoryServer(Func<string, (int Status, string Body)> answer)
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    var path = context.Request.Url!.AbsolutePath;
                    lock (Requests)
                    {
                        Requests.Add(path);
                    }

                    var (status, body) = answer(path);
                    var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                    // A length and no keep-alive: HttpListener's chunked end ("0") of an empty answer could otherwise be
                    // read as the next answer's status line on the reused connection.
                    context.Response.StatusCode = status;
                    context.Response.ContentLength64 = bytes.Length;
                    context.Response.KeepAlive = false;
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public List<string> Requests { get; } = [];

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
