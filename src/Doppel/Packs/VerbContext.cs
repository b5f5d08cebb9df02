using System.Text.Json.Nodes;

namespace Doppel.Packs;

/// <summary>What a host gives a running verb: its values, where to write, and the server it names.</summary>
public abstract class VerbContext
{
    /// <summary>Standard output: the verb's result.</summary>
    public abstract TextWriter Out { get; }

    /// <summary>Standard error: progress and notes.</summary>
    public abstract TextWriter Error { get; }

    /// <summary>A positional argument's value, or null when an optional one was not given.</summary>
    public abstract string? Argument(string name);

    /// <summary>A text option's value (or its default), or null.</summary>
    public abstract string? Text(string option);

    /// <summary>A number option's value (or its default), or null.</summary>
    public abstract double? Number(string option);

    /// <summary>Whether a flag was given.</summary>
    public abstract bool Flag(string option);

    /// <summary>The document a <see cref="VerbValue.Document"/> argument or option (by its name) was given, or null when an optional one was not.</summary>
    public abstract VerbDocument? Document(string name);

    /// <summary>The server's URL, for verbs that use one (<see cref="PackVerb.UsesServer"/>).</summary>
    public abstract Uri? Server { get; }

    /// <summary>Calls the server's REST API (the host adds the API version and credentials); the status and the JSON body.</summary>
    public abstract Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json, CancellationToken ct);
}
