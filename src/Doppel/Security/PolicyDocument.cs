using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.Packs;
using Doppel.Query;

namespace Doppel.Security;

/// <summary>
/// A policy as users write it, YAML or JSON (<c>doppel auth policies put pumps.yaml</c>, <c>PUT /doppel/auth/policies/{id}</c>),
/// and as the API returns it:
/// <code>
/// id: pump-devices
/// subjects: [ "key:pump-*" ]
/// entries:
///   - resource: telemetry
///     twins: { idPrefix: "pump-" }
///     grant: [ write ]
///   - resource: properties
///     twins: { where: "IS_OF_MODEL('dtmi:factory:Pump;1')" }
///     properties: [ rpm ]
///     grant: [ read, write ]
/// </code>
/// Unknown keys are refused with the nearest valid one; every error names its line and path.
/// </summary>
public static partial class PolicyDocument
{
    /// <summary>The longest policy id; ids are also file-system and URL safe.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Reads a policy; <paramref name="id"/>, when given (from the URL), must match the document's id or stand in for a missing one.</summary>
    public static Result<Policy> Read(string text, string? id = null) => DocumentReader.Read(text, root => ReadPolicy(root, id));

    /// <summary>A valid policy id: letters, digits and <c>.-_:</c>, starting with a letter or digit.</summary>
    public static bool IsValidId(string id) => id.Length <= MaxIdLength && IdPattern().IsMatch(id);

    /// <summary>The policy as the API returns it.</summary>
    public static JsonObject ToJson(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var entries = new JsonArray();
        foreach (var e in policy.Entries)
        {
            var entry = new JsonObject { ["resource"] = e.Resource.Name() };
            if (e.Twins is { } twins)
            {
                var selector = new JsonObject();
                if (twins.IdPrefix is { } prefix)
                {
                    selector["idPrefix"] = prefix;
                }
                if (twins.Where is { } where)
                {
                    selector["where"] = where;
                }
                entry["twins"] = selector;
            }
            if (e.Properties is { } properties)
            {
                entry["properties"] = new JsonArray([.. properties.Select(p => (JsonNode?)p)]);
            }
            entry["grant"] = Names(e.Grant);
            entry["revoke"] = Names(e.Revoke);
            entries.Add(entry);
        }
        var json = new JsonObject { ["id"] = policy.Id };
        if (policy.Description is { } description)
        {
            json["description"] = description;
        }
        json["subjects"] = new JsonArray([.. policy.Subjects.Select(s => (JsonNode?)s)]);
        if (policy.Role is { } role)
        {
            json["role"] = role.Name();
        }
        json["entries"] = entries;
        return json;
    }

    private static JsonArray Names(Access access)
    {
        var names = new JsonArray();
        if ((access & Access.Read) != 0)
        {
            names.Add("read");
        }
        if ((access & Access.Write) != 0)
        {
            names.Add("write");
        }
        return names;
    }

    private static Policy ReadPolicy(DocumentMap root, string? urlId)
    {
        root.Allow("id", "description", "subjects", "role", "entries");
        var id = root.Text("id") ?? urlId ?? throw root.Error("'id' (the policy's name) is required");
        if (!IsValidId(id))
        {
            throw (root["id"] ?? root).Error($"'{id}' is not a policy id: up to {MaxIdLength} letters, digits, '.', '-', '_' or ':', starting with a letter or digit");
        }
        if (urlId is not null && urlId != id)
        {
            throw root["id"]!.Error($"the document's id '{id}' differs from the id in the address, '{urlId}'");
        }
        var subjectList = root.Required("subjects", "who the policy applies to").ExpectList("a list of subject ids such as key:pump-7, oidc:alice, key:pump-* or role:reader");
        var subjects = new List<string>();
        foreach (var item in subjectList.Items)
        {
            var subject = item.ExpectScalar("a subject id").Text.Trim();
            if (subject.Length == 0 || subject.Contains(' ', StringComparison.Ordinal))
            {
                throw item.Error($"'{subject}' is not a subject id: key:<name>, oidc:<sub>, anonymous, a prefix ending in '*', or role:<owner|writer|reader|none>");
            }
            if (subject.StartsWith("role:", StringComparison.Ordinal) && Roles.Find(subject[5..]) is null)
            {
                throw item.Error($"'{subject}' names no role: role:owner, role:writer, role:reader or role:none");
            }
            subjects.Add(subject);
        }
        if (subjects.Count == 0)
        {
            throw subjectList.Error("a policy applies to one subject at least");
        }
        Role? role = null;
        if (root["role"] is { } roleNode)
        {
            var name = roleNode.ExpectScalar("a role").Text;
            role = Roles.Find(name) ?? throw roleNode.Error($"'{name}' is not a role: owner, writer, reader or none");
        }
        var entries = new List<PolicyEntry>();
        if (root.List("entries", "a list of entries") is { } list)
        {
            foreach (var item in list.Items)
            {
                entries.Add(ReadEntry(item.ExpectMap("an entry (resource, grant, revoke, twins, properties)")));
            }
        }
        if (entries.Count == 0 && role is null)
        {
            throw root.Error("a policy needs entries, a role, or both");
        }
        return new Policy(id, subjects, entries) { Description = root.Text("description"), Role = role };
    }

    private static PolicyEntry ReadEntry(DocumentMap map)
    {
        map.Allow("resource", "twins", "properties", "grant", "revoke");
        var resourceNode = map.Required("resource", "what the entry is about").ExpectScalar("a resource name");
        var resource = Resources.Find(resourceNode.Text)
            ?? throw resourceNode.Error(NearestName.Find(resourceNode.Text, Resources.All.Select(r => r.Name())) is { } near ? $"'{resourceNode.Text}' is not a resource; did you mean '{near}'?" : $"'{resourceNode.Text}' is not a resource: one of {string.Join(", ", Resources.All.Select(r => r.Name()))}");
        TwinSelector? twins = null;
        if (map.Map("twins", "a twin selector (idPrefix, where)") is { } selector)
        {
            if (!resource.BelongsToTwins())
            {
                throw selector.Error($"only twins, relationships, properties and telemetry select twins; {resource.Name()} do not belong to twins");
            }
            selector.Allow("idPrefix", "where");
            var where = selector.Text("where");
            if (where is not null && QueryCondition.Parse(where, _ => new HashSet<string>()) is { IsSuccess: false } bad)
            {
                throw selector["where"]!.Error($"'where' is not a query condition: {bad.Error.Message}");
            }
            var prefix = selector.Text("idPrefix");
            if (prefix is null && where is null)
            {
                throw selector.Error("a twin selector needs 'idPrefix', 'where' or both (leave 'twins' out to cover every twin)");
            }
            twins = new TwinSelector(prefix, where);
        }
        IReadOnlyList<string>? properties = null;
        if (map.List("properties", "a list of property names") is { } names)
        {
            if (resource != Resource.Properties)
            {
                throw names.Error("only a 'properties' entry names properties");
            }
            properties = [.. names.Items.Select(n => n.ExpectScalar("a property name").Text)];
            if (properties.Count == 0)
            {
                throw names.Error("name one property at least (leave 'properties' out to cover them all)");
            }
        }
        var grant = ReadAccess(map, "grant");
        var revoke = ReadAccess(map, "revoke");
        if (grant == Access.None && revoke == Access.None)
        {
            throw map.Error("an entry grants or revokes something: grant: [read, write] or revoke: [write]");
        }
        return new PolicyEntry(resource, grant, revoke) { Twins = twins, Properties = properties };
    }

    private static Access ReadAccess(DocumentMap map, string key)
    {
        var access = Access.None;
        var node = map[key];
        IEnumerable<DocumentNode> items = node switch
        {
            null => [],
            DocumentList list => list.Items,
            _ => [node],
        };
        foreach (var item in items)
        {
            var name = item.ExpectScalar("read or write").Text;
            access |= name.ToLowerInvariant() switch
            {
                "read" => Access.Read,
                "write" => Access.Write,
                _ => throw item.Error($"'{name}' is not an access: read or write"),
            };
        }
        return access;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
