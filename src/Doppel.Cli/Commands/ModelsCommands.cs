using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;
using Doppel.Cli.Invocation;
using Doppel.Cli.Output;
using Doppel.Modeling;

namespace Doppel.Cli.Commands;

internal static class ModelsCommands
{
    public static Command Create() => new("models", "Validate DTDL models locally, or import, list and delete them on a server.")
    {
        Validate(),
        Import(),
        List(),
        Delete(),
        Decommission(),
    };

    private static Command Validate()
    {
        var files = new Argument<string[]>("files") { Description = "DTDL files (one interface or an array each) or folders of them, validated as one set; - reads one from standard input.", Arity = ArgumentArity.OneOrMore }.Reads(InputKind.JsonFiles);
        var json = ClientOptions.Json();
        var lenient = new Option<bool>("--lenient") { Description = "Report undefined references as warnings instead of errors." };
        var limits = new Option<string[]>("--limit-extension")
        {
            Description = "A limit extension models may use after \"dtmi:dtdl:context;4#limitless\" (dtmi:dtdl:limits:onvif;1); none by default, as in the official DTDL parser.",
            HelpName = "dtmi",
            AllowMultipleArgumentsPerToken = false,
        };
        var resolveFrom = ResolveFromOption();
        var command = new Command("validate", "Validate DTDL documents as one set: exit 0 when valid, 1 when invalid, 2 on usage errors.") { files, json, lenient, limits, resolveFrom };
        command.SetAction(async (parse, ct) =>
        {
            var documents = ReadDocuments(parse.GetValue(files)!);
            if (!documents.IsSuccess)
            {
                throw CommandFailure.Usage(documents.Error.Message);
            }
            var parser = new ModelParser(new ModelParserOptions { AllowUndefinedReferences = parse.GetValue(lenient), LimitExtensions = parse.GetValue(limits) ?? [] });
            var resolution = await ResolveAsync(parser, documents.Value, parse.GetValue(resolveFrom), ct);
            var result = resolution.Result;
            var errors = resolution.Errors;
            var valid = errors.Count == 0;
            if (parse.GetValue(json))
            {
                var output = new JsonObject
                {
                    ["valid"] = valid,
                    ["documents"] = documents.Value.Count,
                    ["resolved"] = new JsonArray(resolution.Fetched.Select(d => (JsonNode)d.Name).ToArray()),
                    ["interfaces"] = result.Interfaces.Count,
                    ["errors"] = new JsonArray(errors.Select(ToJson).ToArray()),
                    ["warnings"] = new JsonArray(result.Warnings.Select(ToJson).ToArray()),
                };
                Console.WriteLine(output.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                foreach (var warning in result.Warnings)
                {
                    Console.WriteLine($"warning: {warning.Document} {warning.Path}: {warning.Rule}: {warning.Message}");
                }
                foreach (var fetched in resolution.Fetched)
                {
                    Console.WriteLine($"resolved: {fetched.Name}");
                }
                foreach (var error in errors)
                {
                    Console.WriteLine($"error: {error.Document} {error.Path}: {error.Rule}: {error.Message}");
                }
                Console.WriteLine(valid
                    ? $"valid: {CellText.Count(result.Interfaces.Count, "interface")} in {CellText.Count(resolution.Documents.Count, "document")} ({CellText.Count(result.Warnings.Count, "warning")})"
                    : $"invalid: {CellText.Count(errors.Count, "error")} in {CellText.Count(resolution.Documents.Count, "document")}");
            }
            return valid ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static Command Import()
    {
        var files = new Argument<string[]>("files") { Description = "DTDL files or folders to upload; - reads one from standard input.", Arity = ArgumentArity.OneOrMore }.Reads(InputKind.JsonFiles);
        var server = ClientOptions.Server();
        var resolveFrom = ResolveFromOption();
        var command = new Command("import", "Upload DTDL models to a server, in dependency order, up to 250 per request.") { files, server, resolveFrom };
        command.SetAction(async (parse, ct) =>
        {
            var documents = ReadDocuments(parse.GetValue(files)!);
            if (!documents.IsSuccess)
            {
                throw CommandFailure.Usage(documents.Error.Message);
            }
            var toUpload = documents.Value;
            if (parse.GetValue(resolveFrom) is { Length: > 0 } repositories)
            {
                // Dependencies missing from the files come from the repositories and are uploaded with them.
                var resolution = await ResolveAsync(new ModelParser(new ModelParserOptions { AllowUndefinedReferences = true }), documents.Value, repositories, ct);
                foreach (var error in resolution.RepositoryErrors)
                {
                    Console.Error.WriteLine($"doppel: {error.Document}: {error.Rule}: {error.Message}");
                }
                var broken = resolution.Result.Errors.Where(e => e.Rule == "json-syntax" && resolution.Fetched.Any(f => f.Name == e.Document)).ToList();
                foreach (var error in broken)
                {
                    Console.Error.WriteLine($"doppel: {error.Document}: the model repository served a file that is not JSON: {error.Message}");
                }
                if (resolution.RepositoryErrors.Count > 0 || broken.Count > 0)
                {
                    return ExitCodes.Failed;
                }
                foreach (var fetched in resolution.Fetched)
                {
                    Console.WriteLine($"resolved: {fetched.Name}");
                }
                toUpload = [.. resolution.Documents];
            }
            var interfaces = new List<JsonNode>();
            foreach (var document in toUpload)
            {
                // Checked here, where the file and the line are known; the server would only say "the request body".
                var parsed = DocumentText.ParseJson(document.Json, document.Name);
                if (!parsed.IsSuccess)
                {
                    throw CommandFailure.Usage(parsed.Error.Message);
                }
                var node = parsed.Value;
                if (node is JsonArray array)
                {
                    interfaces.AddRange(array.Select(n => n!.DeepClone()));
                }
                else if (node is not null)
                {
                    interfaces.Add(node);
                }
            }
            using var client = new DoppelClient(parse.GetValue(server)!);
            var sent = 0;
            foreach (var chunk in DependencyOrder(interfaces).Chunk(250))
            {
                var (status, body) = await client.SendAsync(HttpMethod.Post, "models", new JsonArray(chunk.Select(n => n.DeepClone()).ToArray()).ToJsonString(), ct: ct);
                if (status != 201)
                {
                    return DoppelClient.Fail(DoppelClient.Error(status, body));
                }
                sent += chunk.Length;
                Console.WriteLine($"uploaded {CellText.Count(sent, "model")} of {interfaces.Count:N0}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List the models on a server.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var models = await client.ListAllAsync("models", ct);
            if (!models.IsSuccess)
            {
                return DoppelClient.Fail(models.Error);
            }
            // displayName is a string or a map of languages; the table shows its English (or only) text.
            var rows = models.Value.Select(m => (JsonNode?)new JsonObject
            {
                ["id"] = m?["id"]?.DeepClone(),
                ["displayName"] = m?["displayName"] is JsonObject names ? (names["en"] ?? names.FirstOrDefault().Value)?.DeepClone() : m?["displayName"]?.DeepClone(),
                ["uploadTime"] = m?["uploadTime"]?.DeepClone(),
                ["decommissioned"] = m?["decommissioned"]?.DeepClone(),
            }).ToList();
            var format = output.Read(parse);
            return Rows.Print(format.Json ? models.Value : rows, ["id", "displayName", Column.Time("uploadTime"), "decommissioned"], format, "model");
        });
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id") { Description = "The model's DTMI." };
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete a model (refused while other models reference it).") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Delete, "models/" + Uri.EscapeDataString(parse.GetValue(id)!), ct: ct);
            return status == 204 ? ExitCodes.Ok : DoppelClient.Fail(DoppelClient.Error(status, body));
        });
        return command;
    }

    private static Command Decommission()
    {
        var id = new Argument<string>("id") { Description = "The model's DTMI." };
        var server = ClientOptions.Server();
        var command = new Command("decommission", "Decommission a model: existing twins keep it, new twins cannot use it.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Patch, "models/" + Uri.EscapeDataString(parse.GetValue(id)!),
                """[{"op":"replace","path":"/decommissioned","value":true}]""", "application/json-patch+json", ct);
            return status == 204 ? ExitCodes.Ok : DoppelClient.Fail(DoppelClient.Error(status, body));
        });
        return command;
    }

    private static Option<string[]> ResolveFromOption() => new("--resolve-from")
    {
        Description = "A model repository (folder or http(s) URL, DTMI path convention: dtmi/com/example/thermostat-1.json) to fetch missing dependencies from; repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Parses the documents, first fetching the interfaces they depend on but lack from the given repositories, if any.</summary>
    private static async Task<ModelResolution> ResolveAsync(ModelParser parser, List<ModelDocument> documents, string[]? repositories, CancellationToken ct)
    {
        if (repositories is not { Length: > 0 })
        {
            return new ModelResolution(documents, [], parser.Parse(documents), []);
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return await new ModelRepository(repositories, http).ResolveAsync(documents, parser, ct: ct);
    }

    /// <summary>Reads files and folders (recursively, *.json) into documents named by path.</summary>
    internal static Result<List<ModelDocument>> ReadDocuments(IEnumerable<string> paths)
    {
        var documents = new List<ModelDocument>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                documents.Add(new ModelDocument("stdin", DocumentText.ReadStandardInput()));
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    documents.Add(new ModelDocument(file, DocumentText.ReadFile(file, "files")));
                }
            }
            else if (File.Exists(path))
            {
                documents.Add(new ModelDocument(path, DocumentText.ReadFile(path, "files")));
            }
            else
            {
                return Result<List<ModelDocument>>.Fail("FileNotFound", $"no such file or folder: {path}");
            }
        }
        return documents.Count == 0
            ? Result<List<ModelDocument>>.Fail("FileNotFound", "no .json documents found in " + string.Join(", ", paths))
            : Result<List<ModelDocument>>.Ok(documents);
    }

    /// <summary>Orders interfaces so that each comes after the interfaces it names (extends, components, targets); cycles keep file order.</summary>
    private static List<JsonNode> DependencyOrder(List<JsonNode> interfaces)
    {
        var byId = interfaces.Where(i => i["@id"] is JsonValue).GroupBy(i => (string)i["@id"]!).ToDictionary(g => g.Key, g => g.First());
        var ordered = new List<JsonNode>();
        var state = new Dictionary<JsonNode, bool>(ReferenceEqualityComparer.Instance);
        void Visit(JsonNode node)
        {
            if (state.ContainsKey(node))
            {
                return;
            }
            state[node] = false;
            foreach (var reference in References(node))
            {
                if (byId.TryGetValue(reference, out var dependency))
                {
                    Visit(dependency);
                }
            }
            state[node] = true;
            ordered.Add(node);
        }
        foreach (var node in interfaces)
        {
            Visit(node);
        }
        return ordered;
    }

    private static IEnumerable<string> References(JsonNode node)
    {
        var text = node.ToJsonString();
        using var document = JsonDocument.Parse(text);
        var found = new List<string>();
        Collect(document.RootElement, found, isRoot: true);
        return found;
    }

    private static void Collect(JsonElement element, List<string> found, bool isRoot)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "extends" or "target" or "schema" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        found.Add(property.Value.GetString()!);
                    }
                    else if (property.Name == "extends" && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        found.AddRange(property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
                    }
                    Collect(property.Value, found, isRoot: false);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, found, isRoot);
                }
                break;
        }
    }

    private static JsonObject ToJson(ModelError error) => new()
    {
        ["document"] = error.Document,
        ["path"] = error.Path,
        ["rule"] = error.Rule,
        ["message"] = error.Message,
    };
}
