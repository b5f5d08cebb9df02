namespace Doppel.Cli.Bench.Dtdl;

/// <summary>What <see cref="DtdlDifferential"/> found: agreement per DTDL version and the groups of disagreements, largest first.</summary>
internal sealed record DifferentialReport(string ParserVersion, ulong Seed, int Inputs, IReadOnlyList<VersionAgreement> Versions, IReadOnlyList<DisagreementCluster> Clusters)
{
    public VersionAgreement Total => new(
        "all",
        Versions.Sum(v => v.Inputs),
        Versions.Sum(v => v.PeerAccepted),
        Versions.Sum(v => v.BothAccepted),
        Versions.Sum(v => v.PeerRefused),
        Versions.Sum(v => v.BothRefused));
}

/// <summary>Inputs of one DTDL version: how many the official parser accepted and refused, and on how many of each Doppel agreed.</summary>
internal sealed record VersionAgreement(string Version, int Inputs, int PeerAccepted, int BothAccepted, int PeerRefused, int BothRefused)
{
    public int Agree => BothAccepted + BothRefused;

    public double Overall => Ratio(Agree, Inputs);

    /// <summary>Of the inputs the official parser accepts, the share Doppel accepts: valid models Doppel must not refuse.</summary>
    public double OnAccepted => Ratio(BothAccepted, PeerAccepted);

    /// <summary>Of the inputs the official parser refuses, the share Doppel refuses.</summary>
    public double OnRefused => Ratio(BothRefused, PeerRefused);

    private static double Ratio(int part, int whole) => whole == 0 ? 1 : (double)part / whole;
}

/// <summary>
/// Disagreements that share a reason: which side accepts, the refusing side's rule or cause, how many inputs per DTDL
/// version, and one example (minimised for the largest groups) with what each parser says about it.
/// </summary>
internal sealed record DisagreementCluster(
    bool PeerAccepts,
    string Key,
    int Count,
    IReadOnlyList<(string Version, int Count)> Versions,
    int FirstIndex,
    IReadOnlyList<string> Example,
    string PeerSays,
    string DoppelSays);
