using Doppel.Query;

namespace Doppel.Security;

/// <summary>
/// What one subject may do, compiled from its role and the policies that name it: answers "may it read this twin",
/// "may it write this property" without allocating. A revocation wins over every grant.
/// </summary>
/// <remarks>Immutable and safe for concurrent use; rebuilt when policies change.</remarks>
public sealed class AccessRules
{
    private static readonly Entry[] NoEntries = [];
    private readonly Access[] _role = new Access[Resources.All.Count];
    private readonly Entry[][] _grants = new Entry[Resources.All.Count][];
    private readonly Entry[][] _revokes = new Entry[Resources.All.Count][];

    private AccessRules(Subject subject, Role role, List<Entry>[] grants, List<Entry>[] revokes)
    {
        Subject = subject;
        Role = role;
        foreach (var r in Resources.All)
        {
            _role[(int)r] = role.Grants(r);
            _grants[(int)r] = grants[(int)r].Count == 0 ? NoEntries : [.. grants[(int)r]];
            _revokes[(int)r] = revokes[(int)r].Count == 0 ? NoEntries : [.. revokes[(int)r]];
        }
    }

    public Subject Subject { get; }

    /// <summary>The subject's role: its credential's, raised by any policy that gives a higher one.</summary>
    public Role Role { get; }

    /// <summary>The rules of a subject under the policies that name it.</summary>
    /// <param name="subject">Who acts.</param>
    /// <param name="policies">Every policy; those that do not name the subject are ignored.</param>
    /// <param name="modelAndSubtypes">The model and its descendants, for <c>IS_OF_MODEL</c> in twin selectors.</param>
    public static AccessRules Compile(Subject subject, IEnumerable<Policy> policies, Func<string, IReadOnlySet<string>> modelAndSubtypes)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var role = subject.Role;
        var grants = Resources.All.Select(_ => new List<Entry>()).ToArray();
        var revokes = Resources.All.Select(_ => new List<Entry>()).ToArray();
        foreach (var policy in policies.Where(p => p.AppliesTo(subject)))
        {
            if (policy.Role is { } given && given > role)
            {
                role = given;
            }
            foreach (var e in policy.Entries)
            {
                // Conditions were checked when the policy was stored; one that no longer parses (a model gone) selects nothing.
                QueryCondition? condition = null;
                var broken = false;
                if (e.Twins?.Where is { } text)
                {
                    var parsed = QueryCondition.Parse(text, modelAndSubtypes);
                    (condition, broken) = parsed.IsSuccess ? (parsed.Value, false) : (null, true);
                }
                var compiled = new Entry(e.Twins?.IdPrefix, condition, broken,
                    e.Properties?.ToHashSet(StringComparer.Ordinal), Access.None);
                if (e.Grant != Access.None)
                {
                    grants[(int)e.Resource].Add(compiled with { Access = e.Grant });
                }
                if (e.Revoke != Access.None)
                {
                    revokes[(int)e.Resource].Add(compiled with { Access = e.Revoke });
                }
            }
        }
        var hiding = revokes[(int)Resource.Properties].Where(e => Has(e.Access, Access.Read)).ToList();
        return new AccessRules(subject, role, grants, revokes)
        {
            HideableProperties = hiding.Any(e => e.Properties is null) ? null : hiding.SelectMany(e => e.Properties!).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// For the platform's own collections (models, routes, policies…): may the subject do this. For resources of twins:
    /// may it do this on some twin at least (the gate before the twin is known).
    /// </summary>
    public bool Allows(Resource resource, Access access)
    {
        if (!resource.BelongsToTwins())
        {
            return (Has(_role[(int)resource], access) || Any(_grants[(int)resource], access, unselected: true)) && !Any(_revokes[(int)resource], access, unselected: true);
        }
        return Has(_role[(int)resource], access) || Any(_grants[(int)resource], access, unselected: false)
            || (resource == Resource.Properties && (Has(_role[(int)Resource.Twins], access) || Any(_grants[(int)Resource.Twins], access, unselected: false)));
    }

    /// <summary>True when the subject may do this on every twin: no policy narrows it, so per-twin checks can be skipped.</summary>
    public bool AllowsEverywhere(Resource resource, Access access) =>
        Has(_role[(int)resource], access) && !Any(_revokes[(int)resource], access, unselected: false)
        && (resource != Resource.Properties || !Any(_revokes[(int)Resource.Twins], access, unselected: false));

    /// <summary>May the subject do this with a resource of this twin (the twin itself, its relationships, its telemetry).</summary>
    public bool Allows(Resource resource, Access access, in TwinView twin) =>
        resource == Resource.Properties
            ? throw new ArgumentException("Properties are checked by name: use AllowsProperty.", nameof(resource))
            : (Has(_role[(int)resource], access) || Matches(_grants[(int)resource], access, twin, null)) && !Matches(_revokes[(int)resource], access, twin, null);

    /// <summary>May the subject read or write this property (or component) of the twin: rights on the twin include its properties.</summary>
    public bool AllowsProperty(Access access, in TwinView twin, string property) =>
        (Has(_role[(int)Resource.Properties], access) || Has(_role[(int)Resource.Twins], access)
            || Matches(_grants[(int)Resource.Properties], access, twin, property) || Matches(_grants[(int)Resource.Twins], access, twin, null))
        && !Matches(_revokes[(int)Resource.Properties], access, twin, property) && !Matches(_revokes[(int)Resource.Twins], access, twin, null);

    /// <summary>True when some property may be hidden from the subject on a twin it can read: twin documents must be redacted.</summary>
    public bool MayHideProperties => _revokes[(int)Resource.Properties].Any(e => Has(e.Access, Access.Read));

    /// <summary>
    /// The only properties a policy may hide from the subject (those its read revocations name); null when a revocation
    /// names none, so any property may be hidden. Redaction then looks at these names instead of every property.
    /// </summary>
    public IReadOnlySet<string>? HideableProperties { get; private init; }

    /// <summary>True when a policy hides the property of a twin the subject may read.</summary>
    public bool Hides(in TwinView twin, string property) => Matches(_revokes[(int)Resource.Properties], Access.Read, twin, property);

    private static bool Has(Access granted, Access wanted) => (granted & wanted) == wanted;

    private static bool Any(Entry[] entries, Access access, bool unselected)
    {
        foreach (var e in entries)
        {
            if (Has(e.Access, access) && (!unselected || e.SelectsAll))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(Entry[] entries, Access access, in TwinView twin, string? property)
    {
        foreach (var e in entries)
        {
            if (Has(e.Access, access) && e.Covers(twin, property))
            {
                return true;
            }
        }
        return false;
    }

    private sealed record Entry(string? IdPrefix, QueryCondition? Where, bool Broken, HashSet<string>? Properties, Access Access)
    {
        public bool SelectsAll => IdPrefix is null && Where is null && !Broken && Properties is null;

        public bool Covers(in TwinView twin, string? property) =>
            !Broken
            && (IdPrefix is null || twin.Id.StartsWith(IdPrefix, StringComparison.Ordinal))
            && (property is null || Properties is null || Properties.Contains(property))
            && (Where is null || twin.Matches(Where));
    }
}
