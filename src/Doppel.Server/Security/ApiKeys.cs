using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Doppel.Security;
using Doppel.Storage;

namespace Doppel.Server.Security;

/// <summary>
/// API keys: <c>dpl_&lt;id&gt;_&lt;secret&gt;</c>, the secret shown once at creation and stored as its SHA-256. Keys are
/// kept in memory, so checking one costs a hash; a revocation applies to the next request.
/// </summary>
public sealed class ApiKeys
{
    public const string Prefix = "dpl_";

    private readonly SqliteSecurityStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, StoredApiKey> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredApiKey> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredApiKey> _byCertificate = new(StringComparer.OrdinalIgnoreCase);

    public ApiKeys(SqliteSecurityStore store, TimeProvider time)
    {
        (_store, _time) = (store, time);
        foreach (var key in store.Keys().Where(k => k.Revoked is null))
        {
            Remember(key);
        }
    }

    /// <summary>Every key, revoked ones included (never a secret).</summary>
    public IReadOnlyList<StoredApiKey> List() => _store.Keys();

    /// <summary>True when a key that works exists.</summary>
    public bool Any => !_byId.IsEmpty;

    /// <summary>Creates a key; the returned text is the only copy of its secret.</summary>
    public Result<(StoredApiKey Key, string Secret)> Create(string name, Role role, string? description, string? certificateThumbprint)
    {
        if (!PolicyDocument.IsValidId(name))
        {
            return Result<(StoredApiKey, string)>.Fail("InvalidArgument", $"'{name}' is not a key name: up to {PolicyDocument.MaxIdLength} letters, digits, '.', '-', '_' or ':', starting with a letter or digit.");
        }
        var thumbprint = certificateThumbprint?.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        if (thumbprint is not null && (thumbprint.Length != 64 || !thumbprint.All(Uri.IsHexDigit)))
        {
            return Result<(StoredApiKey, string)>.Fail("InvalidArgument", "A certificate thumbprint is the SHA-256 of the certificate: 64 hexadecimal digits.");
        }
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new StoredApiKey(name, keyId, Hash(secret), role.Name(), _time.GetUtcNow(), null, thumbprint, description);
        if (!_store.AddKey(key))
        {
            return Result<(StoredApiKey, string)>.Fail("KeyAlreadyExists", $"A key named '{name}' exists (revoked keys keep their name).");
        }
        Remember(key);
        return Result<(StoredApiKey, string)>.Ok((key, $"{Prefix}{keyId}_{secret}"));
    }

    /// <summary>Revokes a key at once; false when there is no working key of that name.</summary>
    public bool Revoke(string name)
    {
        if (!_store.RevokeKey(name, _time.GetUtcNow()))
        {
            return false;
        }
        foreach (var (id, key) in _byId)
        {
            if (key.Name == name)
            {
                _byId.TryRemove(id, out _);
                _byName.TryRemove(name, out _);
                if (key.CertificateThumbprint is { } thumbprint)
                {
                    _byCertificate.TryRemove(thumbprint, out _);
                }
            }
        }
        return true;
    }

    /// <summary>The subject of a key's text, or null when it is not a working key.</summary>
    public Subject? Verify(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = text.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator <= 0 || !_byId.TryGetValue(rest[..separator].ToString(), out var key))
        {
            return null;
        }
        var hash = Hash(rest[(separator + 1)..].ToString());
        return CryptographicOperations.FixedTimeEquals(hash, key.SecretHash) ? SubjectOf(key) : null;
    }

    /// <summary>The subject of a client certificate bound to a key (SHA-256 thumbprint), or null.</summary>
    public Subject? VerifyCertificate(string sha256Thumbprint) =>
        _byCertificate.TryGetValue(sha256Thumbprint, out var key) ? SubjectOf(key) : null;

    /// <summary>The subject of a working key by name; null when there is none (or it was revoked).</summary>
    public Subject? Current(string name) => _byName.TryGetValue(name, out var key) ? SubjectOf(key) : null;

    /// <summary>The subject id of a key: <c>key:&lt;name&gt;</c>.</summary>
    public static string SubjectId(string name) => "key:" + name;

    private static Subject SubjectOf(StoredApiKey key) => new(SubjectId(key.Name), Roles.Find(key.Role) ?? Role.None);

    private void Remember(StoredApiKey key)
    {
        _byId[key.KeyId] = key;
        _byName[key.Name] = key;
        if (key.CertificateThumbprint is { } thumbprint)
        {
            _byCertificate[thumbprint] = key;
        }
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
