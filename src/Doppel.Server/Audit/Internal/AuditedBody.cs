namespace Doppel.Server.Audit.Internal;

/// <summary>
/// The request body an audited endpoint read, kept (by reference, no copy) so that its summary can name what changed
/// (the JSON Patch paths, a model id) after the handler ran; only audited endpoints carry this feature.
/// </summary>
internal sealed class AuditedBody
{
    public byte[]? Bytes { get; private set; }

    /// <summary>Keeps the body of <paramref name="request"/> when its endpoint is audited.</summary>
    public static void Keep(HttpRequest request, byte[] body)
    {
        if (request.HttpContext.Features.Get<AuditedBody>() is { } kept)
        {
            kept.Bytes = body;
        }
    }
}
