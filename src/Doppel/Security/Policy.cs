namespace Doppel.Security;

/// <summary>
/// Who may do what, in Eclipse Ditto's spirit: the subjects it applies to (ids such as <c>key:pump-7</c>, prefixes
/// ending in <c>*</c> such as <c>key:pump-*</c>, or roles such as <c>role:reader</c>), a role it gives them, and
/// entries that grant or revoke access to resources, down to single twins and properties.
/// </summary>
public sealed record Policy(string Id, IReadOnlyList<string> Subjects, IReadOnlyList<PolicyEntry> Entries)
{
    public string? Description { get; init; }

    /// <summary>A role the policy gives its subjects on top of their credential's (the higher one counts); null for none.</summary>
    public Role? Role { get; init; }

    /// <summary>True when the policy names the subject: by id, by a prefix ending in '*', or by its role.</summary>
    public bool AppliesTo(Subject subject)
    {
        foreach (var s in Subjects)
        {
            if (s.StartsWith("role:", StringComparison.Ordinal))
            {
                if (Roles.Find(s[5..]) == subject.Role)
                {
                    return true;
                }
            }
            else if (s.EndsWith('*') ? subject.Id.StartsWith(s.AsSpan(0, s.Length - 1), StringComparison.Ordinal) : s == subject.Id)
            {
                return true;
            }
        }
        return false;
    }
}
