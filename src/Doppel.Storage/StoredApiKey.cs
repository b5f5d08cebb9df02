namespace Doppel.Storage;

/// <summary>An API key as stored: never the secret, only its SHA-256 (the secret is 256 random bits, so a fast hash is safe).</summary>
/// <param name="Name">The key's name, unique; its subject is <c>key:&lt;name&gt;</c>.</param>
/// <param name="KeyId">The public part of the key, which finds it without scanning.</param>
/// <param name="SecretHash">SHA-256 of the secret part.</param>
/// <param name="Role">The role the key carries.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Revoked">When it was revoked; null while it works.</param>
/// <param name="CertificateThumbprint">An MQTT client certificate (SHA-256 thumbprint, hex) that authenticates as this key; null for none.</param>
/// <param name="Description">What the key is for.</param>
public sealed record StoredApiKey(string Name, string KeyId, byte[] SecretHash, string Role, DateTimeOffset Created, DateTimeOffset? Revoked, string? CertificateThumbprint, string? Description);
