using System.Net;
using System.Text.Json;
using Doppel.Modeling.Internal;

namespace Doppel.Modeling;

/// <summary>What a resolution found: the documents given and fetched, the parse of them all, and the repository's own errors.</summary>
public sealed record ModelResolution(IReadOnlyList<ModelDocument> Documents, IReadOnlyList<ModelDocument> Fetched, ModelParseResult Result, IReadOnlyList<ModelError> RepositoryErrors)
{
    /// <summary>Every error: the parser's and the repositories' (unreachable, failing, or serving a model under the wrong path).</summary>
    public IReadOnlyList<ModelError> Errors => [.. RepositoryErrors, .. Result.Errors];

    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Resolves the Interfaces a set of documents depends on but does not contain from model repositories that follow the DTMI
/// repository convention (<c>dtmi:com:example:Thermostat;1</c> is <c>dtmi/com/example/thermostat-1.json</c>, and
/// <c>thermostat-1.expanded.json</c> holds it with its dependencies), as the DTDL parser's repository resolver does.
/// A location is a folder or an http(s) URL; locations are tried in order.
/// </summary>
public sealed class ModelRepository(IReadOnlyList<string> locations, HttpClient http)
{
    /// <summary>Resolution stops after this many rounds of fetching (a chain of dependencies this deep is not a model).</summary>
    private const int MaxRounds = 64;

    /// <summary>The repository path of a DTMI: lowercase, ':' as '/', ';' as '-', then ".json" or ".expanded.json".</summary>
    public static string PathOf(Dtmi id, bool expanded = false) =>
        id.Value.ToLowerInvariant().Replace(':', '/').Replace(';', '-') + (expanded ? ".expanded.json" : ".json");

    /// <summary>Parses <paramref name="documents"/>, fetching missing dependencies (transitively) until none is left or none can be found.</summary>
    public async Task<ModelResolution> ResolveAsync(IReadOnlyList<ModelDocument> documents, ModelParser parser, IModelResolver? existing = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(parser);
        var all = new List<ModelDocument>(documents);
        var fetched = new List<ModelDocument>();
        var errors = new List<ModelError>();
        var tried = new HashSet<Dtmi>();
        var result = parser.Parse(all, existing);
        for (var round = 0; round < MaxRounds; round++)
        {
            var wanted = result.MissingDependencies.Where(tried.Add).ToList();
            if (wanted.Count == 0)
            {
                break;
            }

            var found = false;
            foreach (var id in wanted)
            {
                if (DtmiSyntax.Check(id.Value, 3) is not null || fetched.Any(d => Declares(d, id)))
                {
                    continue;
                }

                if (await FetchAsync(id, errors, ct).ConfigureAwait(false) is { } document)
                {
                    fetched.Add(document);
                    all.Add(document);
                    found = true;
                }
            }

            if (!found)
            {
                break;
            }

            result = parser.Parse(all, existing);
        }

        return new ModelResolution(all, fetched, result, errors);
    }

    /// <summary>The first location that has the model: its expanded form if there is one, else the model alone.</summary>
    private async Task<ModelDocument?> FetchAsync(Dtmi id, List<ModelError> errors, CancellationToken ct)
    {
        foreach (var location in locations)
        {
            foreach (var expanded in new[] { true, false })
            {
                var path = PathOf(id, expanded);
                var (name, text, error) = await ReadAsync(location, path, ct).ConfigureAwait(false);
                if (error is not null)
                {
                    errors.Add(new ModelError(name, "$", "repository-error", error));
                    return null;
                }

                if (text is null)
                {
                    continue;
                }

                var document = new ModelDocument(name, text);
                if (!IsJson(text) || Declares(document, id))
                {
                    // Malformed JSON is handed to the parser, which reports it against this document's name.
                    return document;
                }

                errors.Add(new ModelError(name, "$", "repository-mismatch", $"the repository serves this file for '{id}', but it does not define an Interface with that @id"));
                return null;
            }
        }

        return null;
    }

    /// <summary>Reads one file: its text, null when the location does not have it, or an error when the location cannot answer.</summary>
    private async Task<(string Name, string? Text, string? Error)> ReadAsync(string location, string path, CancellationToken ct)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var url = new Uri(uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/"), path);
            try
            {
                using var response = await http.GetAsync(url, ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return (url.ToString(), null, null);
                }

                if (!response.IsSuccessStatusCode)
                {
                    return (url.ToString(), null, $"model repository answered {(int)response.StatusCode} {response.ReasonPhrase} for {url}");
                }

                return (url.ToString(), await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false), null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                var why = e is TaskCanceledException ? "it did not answer in time" : e.Message;
                return (url.ToString(), null, $"model repository {location} is unreachable ({why}); check the URL given to --resolve-from");
            }
        }

        if (!Directory.Exists(location))
        {
            return (location, null, $"model repository folder {location} does not exist");
        }

        var file = Path.Combine(location, path.Replace('/', Path.DirectorySeparatorChar));
        try
        {
            return File.Exists(file) ? (file, await File.ReadAllTextAsync(file, ct).ConfigureAwait(false), null) : (file, null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (file, null, $"cannot read {file}: {e.Message}");
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True when the document (one Interface or an array of them, as the expanded form is) defines <paramref name="id"/>.</summary>
    private static bool Declares(ModelDocument document, Dtmi id)
    {
        try
        {
            using var json = JsonDocument.Parse(document.Json);
            var root = json.RootElement;
            var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            return items.Any(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("@id", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == id.Value);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
