using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;
using Doppel.Cli.Invocation;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel auth: who the CLI acts as, API keys and policies (owners only, as the server enforces).</summary>
internal static class AuthCommands
{
    public static Command Create() => new("auth", $"Who you are, API keys and access policies. The CLI sends the key in ${DoppelClient.ApiKeyVariable} (or a token in ${DoppelClient.TokenVariable}).")
    {
        WhoAmI(),
        new Command("keys", "Create, list and revoke API keys (the secret is shown once, stored hashed).") { CreateKey(), ListKeys(), RevokeKey() },
        new Command("policies", "Put, list, show and delete access policies (YAML or JSON).") { PutPolicy(), ListPolicies(), ShowPolicy(), DeletePolicy() },
    };

    private static Command WhoAmI()
    {
        var server = ClientOptions.Server();
        var command = new Command("whoami", "The subject and role the server sees, and what it may do.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Get, "doppel/auth/whoami", ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            var format = output.Read(parse);
            if (format.Json)
            {
                return Rows.PrintJson(body);
            }
            Console.WriteLine($"{body!["subject"]} ({body["role"]})");
            var rows = (body["access"] as JsonObject ?? []).Select(p => (JsonNode?)new JsonObject
            {
                ["resource"] = p.Key,
                ["access"] = string.Join(", ", (p.Value as JsonArray ?? []).Select(a => a?.ToString())) is { Length: > 0 } a ? a : "none",
            }).ToList();
            return Rows.Print(rows, ["resource", "access"], format, "resource");
        });
        return command;
    }

    private static Command CreateKey()
    {
        var name = new Argument<string>("name") { Description = "The key's name; its subject is key:<name>, which policies name." };
        var role = new Option<string>("--role") { Description = "owner, writer, reader, or none (a device: its rights come from policies).", DefaultValueFactory = _ => "none" };
        var description = new Option<string?>("--description") { Description = "What the key is for." };
        var certificate = new Option<string?>("--certificate") { Description = "A client certificate (PEM or DER file) that authenticates as this key over MQTT TLS.", HelpName = "file" };
        var server = ClientOptions.Server();
        var command = new Command("create", "Create an API key and print it once: store it now, the server keeps only its hash.") { name, role, description, certificate, server };
        command.SetAction(async (parse, ct) =>
        {
            var body = new JsonObject { ["name"] = parse.GetValue(name), ["role"] = parse.GetValue(role) };
            if (parse.GetValue(description) is { } d)
            {
                body["description"] = d;
            }
            if (parse.GetValue(certificate) is { } file)
            {
                body["certificateThumbprint"] = Thumbprint(file);
            }
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, response) = await client.SendAsync(HttpMethod.Post, "doppel/auth/keys", body.ToJsonString(), ct: ct);
            if (status != 201)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, response));
            }
            // The secret alone on standard output, so that `export DOPPEL_API_KEY=$(doppel auth keys create …)` works.
            Console.Error.WriteLine($"Created key '{response!["name"]}' (subject {response["subject"]}, role {response["role"]}). Its secret is shown only now:");
            Console.WriteLine(response["key"]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListKeys()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List API keys (never their secrets).") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var keys = await client.ListAllAsync("doppel/auth/keys", ct);
            return !keys.IsSuccess ? DoppelClient.Fail(keys.Error)
                : Rows.Print(keys.Value, ["name", "role", "created", "revoked", "description"], output.Read(parse), "key");
        });
        return command;
    }

    private static Command RevokeKey()
    {
        var name = new Argument<string>("name") { Description = "The key's name." };
        var server = ClientOptions.Server();
        var command = new Command("revoke", "Revoke an API key: the next request or MQTT packet with it is refused.") { name, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Delete, $"doppel/auth/keys/{Uri.EscapeDataString(parse.GetValue(name)!)}", ct: ct);
            if (status != 204)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Key '{parse.GetValue(name)}' is revoked.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command PutPolicy()
    {
        var id = new Argument<string>("id") { Description = "The policy's id (a document's own id must match it)." };
        var file = new Argument<string>("file") { Description = "The policy, YAML or JSON, or - for standard input." }.Reads(InputKind.JsonOrYamlFile);
        var server = ClientOptions.Server();
        var command = new Command("put", "Create or replace a policy from a YAML or JSON file; it applies to the next request.") { id, file, server };
        command.SetAction(async (parse, ct) =>
        {
            // Syntax is checked here, where the file's line and column can be named; the server checks the meaning.
            var document = DocumentText.ReadJsonOrYaml(parse.GetValue(file)!, "file");
            var policyId = parse.GetValue(id)!;
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Put, $"doppel/auth/policies/{Uri.EscapeDataString(policyId)}",
                document.Text, document.IsJson ? "application/json" : "application/yaml", ct);
            if (status is not (200 or 201))
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Policy '{policyId}' is {(status == 201 ? "created" : "replaced")} and in force.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListPolicies()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List policies.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var policies = await client.ListAllAsync("doppel/auth/policies", ct);
            if (!policies.IsSuccess)
            {
                return DoppelClient.Fail(policies.Error);
            }
            var format = output.Read(parse);
            var rows = policies.Value.Select(p => (JsonNode?)new JsonObject
            {
                ["id"] = p?["id"]?.DeepClone(),
                ["subjects"] = string.Join(", ", (p?["subjects"] as JsonArray ?? []).Select(s => s?.ToString())),
                ["role"] = p?["role"]?.DeepClone(),
                ["entries"] = (p?["entries"] as JsonArray)?.Count ?? 0,
            }).ToList();
            return Rows.Print(format.Json ? policies.Value : rows, ["id", "subjects", "role", "entries"], format, "policy");
        });
        return command;
    }

    private static Command ShowPolicy()
    {
        var id = new Argument<string>("id") { Description = "The policy's id." };
        var server = ClientOptions.Server();
        var command = new Command("show", "Print a policy as JSON.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Get, $"doppel/auth/policies/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct: ct);
            return status == 200 ? Rows.PrintJson(body) : DoppelClient.Fail(DoppelClient.Error(status, body));
        });
        return command;
    }

    private static Command DeletePolicy()
    {
        var id = new Argument<string>("id") { Description = "The policy's id." };
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete a policy; the rights it gave end with the next request.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Delete, $"doppel/auth/policies/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct: ct);
            if (status != 204)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Policy '{parse.GetValue(id)}' is deleted.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Thumbprint(string file)
    {
        DocumentText.RequireFile(file, "certificate");
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(File.ReadAllText(file).Contains("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(File.ReadAllText(file)).RawData
                : File.ReadAllBytes(file));
            return Convert.ToHexString(SHA256.HashData(certificate.RawData));
        }
        catch (CryptographicException e)
        {
            throw CommandFailure.Usage($"{file} is not a certificate (PEM or DER): {e.Message}");
        }
    }
}
