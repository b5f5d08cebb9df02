using System.Collections.Concurrent;
using Doppel.Modeling;
using Doppel.Security;
using Doppel.Server.Runtime;
using Doppel.Storage;

namespace Doppel.Server.Security;

/// <summary>
/// The policies, kept in memory with each subject's compiled <see cref="AccessRules"/>; a change is stored, then
/// replaces the set and drops the compiled rules, so it applies to the next request.
/// </summary>
public sealed class Policies
{
    private readonly SqliteSecurityStore _store;
    private readonly TwinRuntime _runtime;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Subject, AccessRules> _rules = new();
    private IReadOnlyDictionary<string, Policy> _policies;
    private int _modelCount = -1;

    public Policies(SqliteSecurityStore store, TwinRuntime runtime)
    {
        (_store, _runtime) = (store, runtime);
        var loaded = new Dictionary<string, Policy>(StringComparer.Ordinal);
        foreach (var (id, document) in store.Policies())
        {
            // Stored documents were valid when written; the reader is the same, so this only fails on a hand-edited file.
            var policy = PolicyDocument.Read(document, id);
            if (policy.IsSuccess)
            {
                loaded[id] = policy.Value;
            }
        }
        _policies = loaded;
    }

    /// <summary>Every policy, by id.</summary>
    public IReadOnlyList<Policy> List() => [.. _policies.Values.OrderBy(p => p.Id, StringComparer.Ordinal)];

    public Policy? Get(string id) => _policies.GetValueOrDefault(id);

    /// <summary>Creates or replaces a policy; true when it was created.</summary>
    public bool Put(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_gate)
        {
            var created = _store.PutPolicy(policy.Id, PolicyDocument.ToJson(policy).ToJsonString(), _runtime.Time.GetUtcNow());
            _policies = new Dictionary<string, Policy>(_policies, StringComparer.Ordinal) { [policy.Id] = policy };
            _rules.Clear();
            return created;
        }
    }

    /// <summary>Deletes a policy; false when there was none.</summary>
    public bool Delete(string id)
    {
        lock (_gate)
        {
            if (!_store.DeletePolicy(id))
            {
                return false;
            }
            var remaining = new Dictionary<string, Policy>(_policies, StringComparer.Ordinal);
            remaining.Remove(id);
            _policies = remaining;
            _rules.Clear();
            return true;
        }
    }

    /// <summary>What a subject may do now.</summary>
    public AccessRules RulesFor(Subject subject)
    {
        // IS_OF_MODEL selectors resolve a model's descendants once: rules compiled before models came or went are stale.
        var models = _runtime.Models.Count;
        if (Volatile.Read(ref _modelCount) != models)
        {
            _rules.Clear();
            Volatile.Write(ref _modelCount, models);
        }
        return _rules.GetOrAdd(subject, s => AccessRules.Compile(s, _policies.Values, ModelAndSubtypes));
    }

    private IReadOnlySet<string> ModelAndSubtypes(string dtmi) =>
        _runtime.Models.SelfAndDescendants(new Dtmi(dtmi)).Select(d => d.Value).ToHashSet(StringComparer.Ordinal);
}
