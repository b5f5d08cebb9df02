using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;

namespace Doppel.Server.Routing;

/// <summary>
/// Where routed events are delivered: a webhook (HTTP POST of the CloudEvent) or an MQTT topic. A Doppel extension: ADT
/// defines endpoints in its control plane, Doppel at <c>/doppel/endpoints/{name}</c>. Both kinds retry failures with
/// exponential backoff, then dead-letter.
/// </summary>
public sealed partial record EventEndpoint
{
    public const string Webhook = "webhook";
    public const string Mqtt = "mqtt";

    /// <summary>Topic placeholders, filled per event (characters MQTT reserves, '+' and '#', become '_').</summary>
    public static readonly IReadOnlyList<string> TopicPlaceholders = ["{twinId}", "{type}", "{routeId}", "{endpoint}"];

    /// <summary>What GET shows in place of a secret (ADT: "will be obfuscated during read").</summary>
    public const string Mask = "***";

    // Shorter values are not looked for in error texts: "1" would mask every digit, and is no secret worth the name.
    private const int MinimumRedactedLength = 4;

    private static readonly string[] ReservedHeaders = ["Content-Type", "Content-Length", "Host", "Transfer-Encoding"];

    public required string Name { get; init; }

    /// <summary><see cref="Webhook"/> or <see cref="Mqtt"/>.</summary>
    public required string Type { get; init; }

    public Uri? Url { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Topic { get; init; }

    public int Qos { get; init; } = 1;

    public bool Retain { get; init; }

    /// <summary>Attempts per event, the first included, before it is dead-lettered.</summary>
    public int MaxAttempts { get; init; } = 10;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$")]
    private static partial Regex NamePattern();

    /// <summary>True when <paramref name="name"/> is 1 to 50 letters, digits, '-' or '_', starting with a letter or digit (it names a file too).</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Reads an endpoint body; every problem is an <c>EndpointInvalid</c> error naming the member.</summary>
    public static Result<EventEndpoint> FromJson(string name, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!IsValidName(name))
        {
            return Invalid($"Endpoint name '{name}' must be 1 to 50 letters, digits, '-' or '_', starting with a letter or digit.");
        }
        foreach (var (key, _) in body)
        {
            if (key is not ("type" or "url" or "headers" or "topic" or "qos" or "retain" or "maxAttempts" or "initialBackoff" or "maxBackoff" or "name" or "stats"))
            {
                return Invalid($"Unknown member \"{key}\"; an endpoint has type, url and headers (webhook), topic, qos and retain (mqtt), maxAttempts, initialBackoff, maxBackoff.");
            }
        }
        var type = String(body, "type");
        if (type is not (Webhook or Mqtt))
        {
            return Invalid("\"type\" must be \"webhook\" or \"mqtt\".");
        }
        var maxAttempts = body["maxAttempts"] is null ? 10 : Int(body, "maxAttempts");
        if (maxAttempts is not (>= 1 and <= 100))
        {
            return Invalid("\"maxAttempts\" must be an integer from 1 to 100.");
        }
        var initial = Duration(body, "initialBackoff", TimeSpan.FromSeconds(1));
        var max = Duration(body, "maxBackoff", TimeSpan.FromMinutes(1));
        if (initial is null || max is null || initial <= TimeSpan.Zero || max < initial || max > TimeSpan.FromDays(1))
        {
            return Invalid("\"initialBackoff\" and \"maxBackoff\" must be ISO 8601 durations (PT1S, PT1M), 0 < initialBackoff <= maxBackoff <= P1D.");
        }
        var endpoint = new EventEndpoint { Name = name, Type = type, MaxAttempts = maxAttempts.Value, InitialBackoff = initial.Value, MaxBackoff = max.Value };
        return type == Webhook ? WithWebhook(endpoint, body) : WithMqtt(endpoint, body);
    }

    private static Result<EventEndpoint> WithWebhook(EventEndpoint endpoint, JsonObject body)
    {
        if (body["topic"] is not null || body["qos"] is not null || body["retain"] is not null)
        {
            return Invalid("A webhook endpoint has no \"topic\", \"qos\" or \"retain\".");
        }
        if (!Uri.TryCreate(String(body, "url"), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return Invalid("A webhook endpoint needs \"url\": an absolute https:// (or http://) address.");
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (body["headers"] is { } node)
        {
            if (node is not JsonObject members)
            {
                return Invalid("\"headers\" must be an object of header names to string values.");
            }
            foreach (var (header, value) in members)
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || header.Length == 0 || header.Any(c => c <= ' ' || c == ':' || c > '~') || text.Contains('\n') || text.Contains('\r'))
                {
                    return Invalid($"Header \"{header}\" needs a valid name and a single-line string value.");
                }
                if (ReservedHeaders.Contains(header, StringComparer.OrdinalIgnoreCase))
                {
                    return Invalid($"Header \"{header}\" is set by Doppel and cannot be configured.");
                }
                headers[header] = text;
            }
        }
        return Result<EventEndpoint>.Ok(endpoint with { Url = url, Headers = headers });
    }

    private static Result<EventEndpoint> WithMqtt(EventEndpoint endpoint, JsonObject body)
    {
        if (body["url"] is not null || body["headers"] is not null)
        {
            return Invalid("An mqtt endpoint has no \"url\" or \"headers\".");
        }
        var topic = String(body, "topic");
        if (string.IsNullOrEmpty(topic) || topic.Length > 1024 || topic.Contains('+') || topic.Contains('#') || topic.Contains('\0'))
        {
            return Invalid("An mqtt endpoint needs \"topic\": a topic name without wildcards ('+', '#'), e.g. \"doppel/events/{twinId}/{type}\".");
        }
        var rest = TopicPlaceholders.Aggregate(topic, (t, p) => t.Replace(p, "", StringComparison.Ordinal));
        if (rest.Contains('{') || rest.Contains('}'))
        {
            return Invalid($"The topic \"{topic}\" has an unknown placeholder; the placeholders are {string.Join(", ", TopicPlaceholders)}.");
        }
        var qos = body["qos"] is null ? 1 : Int(body, "qos");
        if (qos is not (0 or 1))
        {
            return Invalid("\"qos\" must be 0 or 1.");
        }
        bool retain = false;
        if (body["retain"] is { } r && (r is not JsonValue rv || !rv.TryGetValue(out retain)))
        {
            return Invalid("\"retain\" must be true or false.");
        }
        return Result<EventEndpoint>.Ok(endpoint with { Topic = topic, Qos = qos.Value, Retain = retain });
    }

    /// <summary>The topic for one event, placeholders filled.</summary>
    public string TopicFor(string twinId, string type, string routeId) => Topic!
        .Replace("{twinId}", Safe(twinId), StringComparison.Ordinal)
        .Replace("{type}", Safe(type), StringComparison.Ordinal)
        .Replace("{routeId}", routeId, StringComparison.Ordinal)
        .Replace("{endpoint}", Name, StringComparison.Ordinal);

    /// <summary>
    /// The endpoint as its API shows it (without stats): secrets are write-only, so every header value, the password in
    /// the URL's user-info and every value in its query read <see cref="Mask"/>, as ADT obfuscates an endpoint's keys.
    /// </summary>
    public JsonObject ToJson() => ToJson(masked: true);

    /// <summary>The endpoint as the store keeps it, secrets included (never returned by the API, never logged).</summary>
    public JsonObject ToStoredJson() => ToJson(masked: false);

    /// <summary>The URL as logs, errors and dead letters show it: its secrets masked, its user-info never sent in the request line.</summary>
    public string? DisplayUrl => Url is null ? null : MaskedUrl(Url);

    /// <summary>
    /// Secrets a PUT sent as <see cref="Mask"/> (what GET shows) keep the values <paramref name="stored"/> has, so an
    /// endpoint read, edited and written back keeps its keys; a mask with nothing stored behind it is refused.
    /// </summary>
    public Result<EventEndpoint> KeepingSecretsOf(EventEndpoint? stored)
    {
        if (Type != Webhook)
        {
            return Result<EventEndpoint>.Ok(this);
        }
        var url = Url!;
        if (url.OriginalString.Contains(Mask, StringComparison.Ordinal))
        {
            if (stored?.Url is not { } old || MaskedUrl(old) != url.OriginalString)
            {
                return Invalid($"\"url\" holds the mask {Mask} Doppel shows for stored secrets, but this endpoint has no stored URL of that shape to keep; send the URL with its credentials.");
            }
            url = old;
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in Headers)
        {
            if (value != Mask)
            {
                headers[name] = value;
            }
            else if (stored is not null && stored.Headers.TryGetValue(name, out var kept))
            {
                headers[name] = kept;
            }
            else
            {
                return Invalid($"Header \"{name}\" is {Mask}, the mask Doppel shows for stored secrets, but this endpoint has no stored value for it; send the value itself.");
            }
        }
        return Result<EventEndpoint>.Ok(this with { Url = url, Headers = headers });
    }

    /// <summary>Replaces every secret of this endpoint found in <paramref name="text"/> (an error from a network library, say) with <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Url is { } url)
        {
            text = text.Replace(url.OriginalString, MaskedUrl(url), StringComparison.Ordinal).Replace(url.ToString(), MaskedUrl(url), StringComparison.Ordinal);
        }
        foreach (var secret in Secrets().Where(s => s.Length >= MinimumRedactedLength).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        return text;
    }

    private IEnumerable<string> Secrets()
    {
        foreach (var value in Headers.Values)
        {
            yield return value;
        }
        if (Url is null)
        {
            yield break;
        }
        if (Url.UserInfo.Split(':', 2) is [_, var password])
        {
            yield return password;
            yield return Uri.UnescapeDataString(password);
        }
        foreach (var (_, value) in QueryPairs(Url.Query))
        {
            if (value is not null)
            {
                yield return value;
                yield return Uri.UnescapeDataString(value);
            }
        }
    }

    private static string MaskedUrl(Uri url)
    {
        var builder = new System.Text.StringBuilder();
        builder.Append(url.Scheme).Append("://");
        if (url.UserInfo.Length > 0)
        {
            var user = url.UserInfo.Split(':', 2);
            builder.Append(user[0]).Append(user.Length == 2 ? ":" + Mask : "").Append('@');
        }
        builder.Append(url.IsDefaultPort ? url.Host : url.Authority).Append(url.AbsolutePath);
        if (url.Query.Length > 1)
        {
            builder.Append('?').AppendJoin('&', QueryPairs(url.Query).Select(p => p.Value is null ? p.Name : p.Name + "=" + Mask));
        }
        return builder.ToString();
    }

    private static IEnumerable<(string Name, string? Value)> QueryPairs(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2) is [var name, var value] ? (name, (string?)value) : (pair, null));

    private JsonObject ToJson(bool masked)
    {
        var json = new JsonObject { ["name"] = Name, ["type"] = Type };
        if (Type == Webhook)
        {
            json["url"] = masked ? MaskedUrl(Url!) : Url!.ToString();
            json["headers"] = new JsonObject(Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)(masked ? Mask : h.Value))));
        }
        else
        {
            json["topic"] = Topic;
            json["qos"] = Qos;
            json["retain"] = Retain;
        }
        json["maxAttempts"] = MaxAttempts;
        json["initialBackoff"] = XmlConvert.ToString(InitialBackoff);
        json["maxBackoff"] = XmlConvert.ToString(MaxBackoff);
        return json;
    }

    private static string Safe(string value) => value.Replace('+', '_').Replace('#', '_');

    private static string? String(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonObject body, string name) =>
        body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;

    private static TimeSpan? Duration(JsonObject body, string name, TimeSpan fallback)
    {
        if (body[name] is null)
        {
            return fallback;
        }
        try
        {
            return String(body, name) is { } text ? XmlConvert.ToTimeSpan(text) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Result<EventEndpoint> Invalid(string message) => Result<EventEndpoint>.Fail("EndpointInvalid", message);
}
