using System.Text.Json;

namespace Doppel;

/// <summary>
/// System.Text.Json's parse errors in words for people: the reason without the path and position the message appends
/// (callers say where, as line and column), and the usual failures said plainly.
/// </summary>
public static class JsonErrorText
{
    /// <summary>The reason, starting lower-case, without a final period.</summary>
    public static string Reason(JsonException e)
    {
        var message = e.Message;
        if (message.StartsWith("Expected depth to be zero at the end of the JSON payload", StringComparison.Ordinal)
            || message.Contains("reached end of data", StringComparison.Ordinal))
        {
            return "the JSON ends before every object and array is closed (is it cut short?)";
        }
        if (message.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "there is no JSON (the text is empty or blank)";
        }
        var cut = message.Length;
        foreach (var marker in new[] { " Path: ", " LineNumber: ", " | " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                cut = Math.Min(cut, at);
            }
        }
        // The parser quotes the text it stopped at, line break included: a reason stays on one line.
        var reason = string.Join(' ', message[..cut].Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim().TrimEnd('.');
        return reason.Length > 1 && char.IsUpper(reason[0]) && !char.IsUpper(reason[1]) ? char.ToLowerInvariant(reason[0]) + reason[1..] : reason;
    }
}
