namespace Doppel.Modeling;

/// <summary>A DTDL language map (<c>{"en": "Room", "fr": "Pièce"}</c>); a plain string is stored under "en".</summary>
public sealed class LocalizedText(IReadOnlyDictionary<string, string> values)
{
    public static readonly LocalizedText Empty = new(new Dictionary<string, string>());

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public bool IsEmpty => Values.Count == 0;

    /// <summary>The text in <paramref name="language"/>, else English, else any.</summary>
    public string? Get(string language = "en") =>
        Values.TryGetValue(language, out var s) ? s
        : Values.TryGetValue("en", out s) ? s
        : Values.Values.FirstOrDefault();
}
