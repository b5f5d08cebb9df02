using System.Text;
using System.Text.Json.Nodes;
using Doppel.Security;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Security;
using Doppel.Storage;

namespace Doppel.Server.Api;

/// <summary>Who am I, API keys and policies (<c>/doppel/auth/…</c>); the access gate lets only owners manage keys and policies.</summary>
internal static class SecurityEndpoints
{
    private const int MaxPolicyBytes = 256 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/doppel/auth").WithTags("Security");

        auth.MapGet("/whoami", (HttpContext context) =>
        {
            var rules = context.Access();
            var rights = new JsonObject();
            foreach (var resource in Resources.All)
            {
                var access = new JsonArray();
                foreach (var (a, name) in new[] { (Access.Read, "read"), (Access.Write, "write") })
                {
                    if (rules.AllowsEverywhere(resource, a) || (!resource.BelongsToTwins() && rules.Allows(resource, a)))
                    {
                        access.Add(name);
                    }
                    else if (rules.Allows(resource, a))
                    {
                        access.Add(name + " (some)");
                    }
                }
                rights[resource.Name()] = access;
            }
            return Responses.Json(new JsonObject { ["subject"] = rules.Subject.Id, ["role"] = rules.Role.Name(), ["access"] = rights });
        }).WithName("Auth_WhoAmI");

        auth.MapGet("/keys", (ApiKeys keys) => Responses.Page(keys.List().Select(k => (JsonNode)KeyJson(k)), null)).WithName("Keys_List");

        auth.MapPost("/keys", async (HttpRequest request, ApiKeys keys, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, 16 * 1024, ct), "an API key request");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            var unknown = body.Value.Select(p => p.Key).FirstOrDefault(k => k is not ("name" or "role" or "description" or "certificateThumbprint"));
            if (unknown is not null)
            {
                return AdtErrors.ToResult("InvalidArgument", NearestName.UnknownKey("an API key request", unknown, ["name", "role", "description", "certificateThumbprint"]));
            }
            if (Text(body.Value, "name") is not { } name)
            {
                return AdtErrors.ToResult("MissingArgument", "An API key needs a \"name\" (its subject is key:<name>).");
            }
            var roleName = Text(body.Value, "role") ?? "none";
            if (Roles.Find(roleName) is not { } role)
            {
                return AdtErrors.ToResult("InvalidArgument", $"'{roleName}' is not a role: owner, writer, reader or none (a device's key: its rights come from policies).");
            }
            var created = keys.Create(name, role, Text(body.Value, "description"), Text(body.Value, "certificateThumbprint"));
            if (!created.IsSuccess)
            {
                return AdtErrors.ToResult(created.Error, created.Error.Code == "KeyAlreadyExists" ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
            }
            var json = KeyJson(created.Value.Key);
            json["key"] = created.Value.Secret;
            return Responses.Json(json, status: StatusCodes.Status201Created);
        }).WithName("Keys_Create").Audited("key.create", "key", AuditTargets.KeyCreate);

        auth.MapDelete("/keys/{name}", (string name, ApiKeys keys) =>
            keys.Revoke(name) ? Responses.NoContent() : AdtErrors.ToResult(new DoppelError("KeyNotFound", $"There is no working API key named '{name}'."), StatusCodes.Status404NotFound))
            .WithName("Keys_Revoke").Audited("key.revoke", "key");

        auth.MapGet("/policies", (Policies policies) => Responses.Page(policies.List().Select(p => (JsonNode)PolicyDocument.ToJson(p)), null)).WithName("Policies_List");

        auth.MapGet("/policies/{id}", (string id, Policies policies) =>
            policies.Get(id) is { } policy ? Responses.Json(PolicyDocument.ToJson(policy)) : PolicyNotFound(id))
            .WithName("Policies_GetById");

        auth.MapPut("/policies/{id}", async (string id, HttpRequest request, Policies policies, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync(request, MaxPolicyBytes, ct);
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            var policy = PolicyDocument.Read(Encoding.UTF8.GetString(body.Value), id);
            if (!policy.IsSuccess)
            {
                return AdtErrors.ToResult("InvalidArgument", $"The policy is not valid: {policy.Error.Message}");
            }
            var created = policies.Put(policy.Value);
            return Responses.Json(PolicyDocument.ToJson(policy.Value), status: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }).WithName("Policies_Put").Audited("policy.put", "policy");

        auth.MapDelete("/policies/{id}", (string id, Policies policies) =>
            policies.Delete(id) ? Responses.NoContent() : PolicyNotFound(id))
            .WithName("Policies_Delete").Audited("policy.delete", "policy");
    }

    private static IResult PolicyNotFound(string id) =>
        AdtErrors.ToResult(new DoppelError("PolicyNotFound", $"There is no policy '{id}'."), StatusCodes.Status404NotFound);

    private static string? Text(JsonObject body, string key) =>
        body[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static JsonObject KeyJson(StoredApiKey key)
    {
        var json = new JsonObject
        {
            ["name"] = key.Name,
            ["subject"] = ApiKeys.SubjectId(key.Name),
            ["role"] = key.Role,
            ["created"] = key.Created,
            ["revoked"] = key.Revoked,
        };
        if (key.Description is { } description)
        {
            json["description"] = description;
        }
        if (key.CertificateThumbprint is { } thumbprint)
        {
            json["certificateThumbprint"] = thumbprint;
        }
        return json;
    }
}
