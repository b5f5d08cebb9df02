namespace Doppel.Cli.Bench.Dtdl;

/// <summary>
/// The official parser's verdict on a document set: valid, or refused with the kind of its exception ("Parsing",
/// "Resolution" for DTMIs no document defines, "Exception" for a .NET exception without a DTDL report, such as a JSON
/// syntax error) and its errors.
/// </summary>
internal sealed record PeerVerdict(bool Valid, string? Kind, IReadOnlyList<PeerError> Errors)
{
    /// <summary>What the peer's first error says, with the model's own names taken out, so that inputs refused for one reason group together.</summary>
    public string Cause => Errors.Count == 0 ? Kind ?? "" : PeerError.Generalize(Errors[0]);
}
