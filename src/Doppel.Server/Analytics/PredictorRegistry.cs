using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.Analytics.Rul;
using Doppel.Modeling;
using Doppel.Server.Analytics.Internal;
using Doppel.Server.Runtime;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Analytics;

/// <summary>
/// Trained predictors in the data folder: <c>predictors/{name}/v{n}.bin</c> (the predictor's own file) and <c>v{n}.json</c>
/// (its metadata), written atomically (the JSON last, so a version exists once both are whole), plus
/// <c>assignments.json</c>, the DTDL models whose twins it serves. Everything is read back at start.
/// </summary>
public sealed partial class PredictorRegistry
{
    /// <summary>The properties a live RUL prediction writes on a twin, and the schemas they need.</summary>
    public static readonly IReadOnlyList<(string Name, string Schema)> Outputs =
        [("rul", "double"), ("rulLower", "double"), ("rulUpper", "double"), ("rulPredictor", "string")];

    private readonly TwinRuntime _runtime;
    private readonly ILogger<PredictorRegistry> _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, int Version), Result<RulPredictor>> _loaded = [];
    private volatile Dictionary<string, (string Name, int? Version)?> _resolved = new(StringComparer.Ordinal);
    private volatile bool _anyAssignment;

    public PredictorRegistry(TwinRuntime runtime, IOptions<DoppelServerOptions> options, ILogger<PredictorRegistry> log)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(options);
        _runtime = runtime;
        _log = log;
        Root = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "predictors");
        Directory.CreateDirectory(Root);
        Restore();
    }

    /// <summary>The folder holding the predictors.</summary>
    public string Root { get; }

    /// <summary>True when some predictor is assigned to some model (the watcher's fast exit).</summary>
    public bool AnyAssignment => _anyAssignment;

    /// <summary>Raised after any change of versions or assignments (the watcher drops what it resolved).</summary>
    public event Action? Changed;

    /// <summary>A valid predictor name: lower case letters, digits and single dashes, 1 to 63 characters.</summary>
    public static DoppelError? CheckName(string name) =>
        name.Length is > 0 and <= 63 && NamePattern().IsMatch(name)
            ? null
            : new DoppelError("InvalidArgument", $"'{name}' is not a predictor name: use 1 to 63 lower-case letters, digits and single dashes, starting and ending with a letter or digit (e.g. 'engines' or 'fd001-gbt').");

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    /// <summary>The latest version of every predictor, by name.</summary>
    public IReadOnlyList<PredictorVersion> List()
    {
        lock (_gate)
        {
            return [.. _entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value.Versions[^1])];
        }
    }

    /// <summary>The versions of a predictor, oldest first; null when there is none of that name.</summary>
    public IReadOnlyList<PredictorVersion>? Versions(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var entry) ? [.. entry.Versions] : null;
        }
    }

    /// <summary>The models a predictor is assigned to.</summary>
    public IReadOnlyList<PredictorAssignment> Assignments(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var entry) ? [.. entry.Assignments] : [];
        }
    }

    /// <summary>A version of a predictor (the latest when <paramref name="version"/> is null), or the error to answer.</summary>
    public Result<PredictorVersion> Find(string name, int? version)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                return NotFound(name);
            }
            if (version is null)
            {
                return Result<PredictorVersion>.Ok(entry.Versions[^1]);
            }
            return entry.Versions.FirstOrDefault(v => v.Version == version) is { } found
                ? Result<PredictorVersion>.Ok(found)
                : Result<PredictorVersion>.Fail("PredictorNotFound", $"Predictor '{name}' has no version {version}; it has {Range(entry)}.");
        }
    }

    /// <summary>The shape <c>GET /doppel/predictors/{name}</c> answers: the latest version, its assignments, and (when asked) all versions.</summary>
    public JsonObject? Describe(string name, bool withVersions)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                return null;
            }
            var json = entry.Versions[^1].ToJson();
            json["assignments"] = new JsonArray([.. entry.Assignments.Select(a => (JsonNode)a.ToJson())]);
            if (withVersions)
            {
                json["versions"] = new JsonArray([.. entry.Versions.Select(v => (JsonNode)v.ToJson())]);
            }
            return json;
        }
    }

    /// <summary>
    /// Stores a new version of a predictor: the next one, or exactly <paramref name="expectedVersion"/> when given
    /// (an upload says which version it makes, so two uploads cannot both become version 4).
    /// </summary>
    public Result<PredictorVersion> Add(string name, RulPredictor predictor, TrainingSummary training, int? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(training);
        if (CheckName(name) is { } invalid)
        {
            return invalid;
        }
        using var buffer = new MemoryStream();
        predictor.Save(buffer);
        var bytes = buffer.ToArray();
        PredictorVersion stored;
        lock (_gate)
        {
            _entries.TryGetValue(name, out var entry);
            var next = (entry?.Versions[^1].Version ?? 0) + 1;
            if (expectedVersion is { } expected && expected != next)
            {
                return Result<PredictorVersion>.Fail("PredictorVersionConflict", entry is null
                    ? $"Predictor '{name}' has no versions yet, so the next is 1, not {expected}."
                    : $"Predictor '{name}' has {Range(entry)}, so the next is {next}, not {expected}.");
            }
            stored = new PredictorVersion(name, next, predictor.Kind, "rul", _runtime.Time.GetUtcNow(), TwinRuntime.NewETag(), training, predictor.Validation,
                [.. predictor.Channels], predictor.Window, [.. predictor.Features], HyperParameters(predictor), bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            var folder = Path.Combine(Root, name);
            Directory.CreateDirectory(folder);
            AtomicFile.Write(Path.Combine(folder, $"v{next}.bin"), bytes);
            // The metadata last: a version is there once its JSON is, and its JSON is written only over a whole file.
            AtomicFile.Write(Path.Combine(folder, $"v{next}.json"), stored.ToJson().ToJsonString(Indented));
            if (entry is null)
            {
                entry = new Entry();
                _entries[name] = entry;
            }
            entry.Versions.Add(stored);
            _loaded[(name, next)] = Result<RulPredictor>.Ok(predictor);
            ChangedLocked();
        }
        return Result<PredictorVersion>.Ok(stored);
    }

    /// <summary>
    /// Assigns a predictor to a model: the twins of the model and of its subtypes get its predictions. Refused when the
    /// model lacks the output properties or the predictor's input telemetry, or another predictor has the model.
    /// </summary>
    public Result<PredictorAssignment> Assign(string name, string modelId, int? version)
    {
        var found = Find(name, version);
        if (!found.IsSuccess)
        {
            return found.Error;
        }
        if (_runtime.Models.Get(new Dtmi(modelId)) is not { } model)
        {
            return Result<PredictorAssignment>.Fail("ModelNotFound", $"There is no model '{modelId}' to assign predictor '{name}' to.");
        }
        if (Unfit(model.Model, found.Value) is { } unfit)
        {
            return unfit;
        }
        lock (_gate)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                return NotFound(name);
            }
            foreach (var (other, otherEntry) in _entries)
            {
                if (other != name && otherEntry.Assignments.Any(a => a.Model == modelId))
                {
                    return Result<PredictorAssignment>.Fail("PredictorAssignmentConflict",
                        $"Model '{modelId}' is assigned predictor '{other}' already; unassign it first (both would write the same properties).");
                }
            }
            var assignment = new PredictorAssignment(modelId, version);
            var assignments = entry.Assignments.Where(a => a.Model != modelId).Append(assignment).OrderBy(a => a.Model, StringComparer.Ordinal).ToList();
            WriteAssignments(name, assignments);
            entry.Assignments.Clear();
            entry.Assignments.AddRange(assignments);
            ChangedLocked();
            return Result<PredictorAssignment>.Ok(assignment);
        }
    }

    /// <summary>Removes a predictor's assignment to a model.</summary>
    public Result<PredictorAssignment> Unassign(string name, string modelId)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                return NotFound(name);
            }
            if (entry.Assignments.FirstOrDefault(a => a.Model == modelId) is not { } existing)
            {
                return Result<PredictorAssignment>.Fail("AssignmentNotFound", entry.Assignments.Count == 0
                    ? $"Predictor '{name}' is not assigned to any model."
                    : $"Predictor '{name}' is not assigned to '{modelId}'; it is assigned to {string.Join(", ", entry.Assignments.Select(a => a.Model))}.");
            }
            var assignments = entry.Assignments.Where(a => a.Model != modelId).ToList();
            WriteAssignments(name, assignments);
            entry.Assignments.Remove(existing);
            ChangedLocked();
            return Result<PredictorAssignment>.Ok(existing);
        }
    }

    /// <summary>Deletes a predictor and all its versions; refused while it is assigned, since twins rely on it.</summary>
    public Result<string> Delete(string name)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                return NotFound(name);
            }
            if (entry.Assignments.Count > 0)
            {
                return Result<string>.Fail("PredictorInUse",
                    $"Predictor '{name}' is assigned to {string.Join(", ", entry.Assignments.Select(a => a.Model))}; unassign it before deleting it.");
            }
            // Renamed first, so a crash mid-delete never leaves half a predictor under its name.
            var folder = Path.Combine(Root, name);
            var doomed = Path.Combine(Root, $".deleted-{name}-{Guid.NewGuid():N}");
            Directory.Move(folder, doomed);
            Directory.Delete(doomed, recursive: true);
            _entries.Remove(name);
            foreach (var key in _loaded.Keys.Where(k => k.Name == name).ToList())
            {
                _loaded.Remove(key);
            }
            ChangedLocked();
            return Result<string>.Ok(name);
        }
    }

    /// <summary>
    /// The predictor of a version, loaded from its file once and kept; a file that is missing, damaged (its SHA-256
    /// differs from the one recorded) or unreadable is an error, also kept, so a broken file is not re-read per reading.
    /// </summary>
    public Result<RulPredictor> Load(PredictorVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_gate)
        {
            if (_loaded.TryGetValue((version.Name, version.Version), out var cached))
            {
                return cached;
            }
        }
        var loaded = Read(version);
        lock (_gate)
        {
            _loaded[(version.Name, version.Version)] = loaded;
        }
        if (!loaded.IsSuccess)
        {
            _log.PredictorUnloadable(version.Label, loaded.Error.Message);
        }
        return loaded;
    }

    /// <summary>The predictor serving twins of a model: an assignment on the model itself, else on its nearest assigned base.</summary>
    public Result<PredictorVersion>? For(Dtmi model)
    {
        var resolved = _resolved;
        if (!resolved.TryGetValue(model.Value, out var assigned))
        {
            assigned = Resolve(model);
            var copy = new Dictionary<string, (string, int?)?>(resolved, StringComparer.Ordinal) { [model.Value] = assigned };
            _resolved = copy;
        }
        return assigned is { } a ? (Result<PredictorVersion>?)Find(a.Name, a.Version) : null;
    }

    /// <summary>Why a model cannot take a predictor's outputs or feed its inputs; null when it can.</summary>
    internal static DoppelError? Unfit(InterfaceModel model, PredictorVersion version)
    {
        var missing = new List<string>();
        foreach (var (property, schema) in Outputs)
        {
            var fits = model.Contents.GetValueOrDefault(property) is PropertyDef { Schema: PrimitiveSchema primitive }
                && (schema == "string" ? primitive.Kind == PrimitiveKind.String : primitive.Kind is PrimitiveKind.Double or PrimitiveKind.Float);
            if (!fits)
            {
                missing.Add($"{property} ({schema})");
            }
        }
        if (missing.Count > 0)
        {
            return new DoppelError("ValidationFailed",
                $"Model '{model.Id}' cannot take the predictions of '{version.Name}': it lacks the propert{(missing.Count == 1 ? "y" : "ies")} {string.Join(", ", missing)}, where they are written. Declare {(missing.Count == 1 ? "it" : "them")} in the model or a base.");
        }
        var inputs = version.Channels.Where(c => model.Contents.GetValueOrDefault(c) is not TelemetryDef { Schema: PrimitiveSchema { Kind: PrimitiveKind.Double or PrimitiveKind.Float or PrimitiveKind.Integer or PrimitiveKind.Long } }).ToList();
        return inputs.Count > 0
            ? new DoppelError("ValidationFailed",
                $"Model '{model.Id}' cannot feed predictor '{version.Label}': it lacks the numeric telemetry {string.Join(", ", inputs)} that the predictor reads.")
            : null;
    }

    private (string Name, int? Version)? Resolve(Dtmi model)
    {
        if (_runtime.Models.Get(model) is not { } entry)
        {
            return null;
        }
        lock (_gate)
        {
            (string Name, int? Version)? best = null;
            var bestDepth = -1;
            foreach (var (name, predictor) in _entries)
            {
                foreach (var assignment in predictor.Assignments)
                {
                    var target = new Dtmi(assignment.Model);
                    if (!entry.Model.IsA(target))
                    {
                        continue;
                    }
                    // The nearest base wins: the deepest assigned model in the chain.
                    var depth = target == model ? int.MaxValue : _runtime.Models.Get(target)?.Model.Ancestors.Count ?? 0;
                    if (depth > bestDepth || (depth == bestDepth && string.CompareOrdinal(name, best!.Value.Name) < 0))
                    {
                        best = (name, assignment.Version);
                        bestDepth = depth;
                    }
                }
            }
            return best;
        }
    }

    private Result<RulPredictor> Read(PredictorVersion version)
    {
        var path = Path.Combine(Root, version.Name, $"v{version.Version}.bin");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            return Result<RulPredictor>.Fail("PredictorUnreadable", $"The file of predictor {version.Label} cannot be read: {e.Message}");
        }
        if (version.Sha256.Length > 0 && Convert.ToHexStringLower(SHA256.HashData(bytes)) != version.Sha256)
        {
            return Result<RulPredictor>.Fail("PredictorUnreadable", $"The file of predictor {version.Label} ({path}) is damaged: its SHA-256 differs from the one recorded when it was stored.");
        }
        using var stream = new MemoryStream(bytes, writable: false);
        try
        {
            var loaded = RulPredictor.Load(stream);
            return loaded.IsSuccess ? loaded : Result<RulPredictor>.Fail("PredictorUnreadable", $"The file of predictor {version.Label} does not load: {loaded.Error.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Result<RulPredictor>.Fail("PredictorUnreadable", $"The file of predictor {version.Label} does not load: {e.Message}");
        }
    }

    private void Restore()
    {
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith(".deleted-", StringComparison.Ordinal))
            {
                Directory.Delete(folder, recursive: true);
                continue;
            }
            if (CheckName(name) is not null)
            {
                continue;
            }
            var entry = new Entry();
            foreach (var file in Directory.EnumerateFiles(folder, "v*.json"))
            {
                var where = file;
                try
                {
                    var read = PredictorVersion.FromJson(JsonNode.Parse(File.ReadAllText(file))!.AsObject(), where);
                    if (read.IsSuccess && File.Exists(Path.Combine(folder, $"v{read.Value.Version}.bin")))
                    {
                        entry.Versions.Add(read.Value);
                    }
                    else
                    {
                        _log.PredictorVersionLeftOut(file, read.Error?.Message ?? "its .bin file is missing");
                    }
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or IOException)
                {
                    _log.PredictorVersionLeftOut(file, e.Message);
                }
            }
            if (entry.Versions.Count == 0)
            {
                continue;
            }
            entry.Versions.Sort((a, b) => a.Version.CompareTo(b.Version));
            var assignments = Path.Combine(folder, "assignments.json");
            if (File.Exists(assignments))
            {
                try
                {
                    foreach (var node in JsonNode.Parse(File.ReadAllText(assignments))!.AsArray())
                    {
                        entry.Assignments.Add(new PredictorAssignment((string)node!["model"]!, (int?)node["version"]));
                    }
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or IOException)
                {
                    _log.PredictorVersionLeftOut(assignments, e.Message);
                }
            }
            _entries[name] = entry;
        }
        _anyAssignment = _entries.Values.Any(e => e.Assignments.Count > 0);
    }

    private void WriteAssignments(string name, List<PredictorAssignment> assignments) =>
        AtomicFile.Write(Path.Combine(Root, name, "assignments.json"), new JsonArray([.. assignments.Select(a => (JsonNode)a.ToJson())]).ToJsonString(Indented));

    private void ChangedLocked()
    {
        _resolved = new Dictionary<string, (string, int?)?>(StringComparer.Ordinal);
        _anyAssignment = _entries.Values.Any(e => e.Assignments.Count > 0);
        Changed?.Invoke();
    }

    /// <summary>What the predictor says of itself, less what the metadata holds in its own members already.</summary>
    private static JsonObject HyperParameters(RulPredictor predictor)
    {
        var described = predictor.Describe();
        foreach (var shown in new[] { "kind", "target", "window", "channels", "features", "validation" })
        {
            described.Remove(shown);
        }
        return described;
    }

    private static string Range(Entry entry) => entry.Versions.Count == 1 ? "version 1 only" : $"versions {entry.Versions[0].Version} to {entry.Versions[^1].Version}";

    private static DoppelError NotFound(string name) => new("PredictorNotFound", $"There is no predictor named '{name}'.");

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    private sealed class Entry
    {
        public List<PredictorVersion> Versions { get; } = [];

        public List<PredictorAssignment> Assignments { get; } = [];
    }
}
