using System.Text.RegularExpressions;

namespace Doppel.Cli.Bench.Dtdl;

/// <summary>One error of the official parser's report: its cause sentence, validation id, and the element, property and value it names.</summary>
internal sealed partial record PeerError(string Cause, string? ValidationId, string? PrimaryId, string? Property, string? Value)
{
    /// <summary>
    /// The error's kind: its validation id (dtmi:dtdl:parsingError:…) when it has one, else its cause with quoted names,
    /// DTMIs and numbers replaced by placeholders.
    /// </summary>
    public static string Generalize(PeerError error)
    {
        if (error.ValidationId is { Length: > 0 } id)
        {
            return id.Replace("dtmi:dtdl:parsingError:", "", StringComparison.Ordinal);
        }

        var cause = Quoted().Replace(error.Cause, "'…'");
        cause = Dtmi().Replace(cause, "dtmi:…");
        return Number().Replace(cause, "N");
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"dtmi:[^\s,'""]+")]
    private static partial Regex Dtmi();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();
}
