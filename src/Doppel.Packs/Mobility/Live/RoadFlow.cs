namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// A road's estimated flow over one period (veh/h) with its interval (the period's count, not only the rate, lies in it
/// with the options' coverage), the mean speed (m/s) and density (veh/km per lane) that go with it, and whether
/// detectors counted it.
/// </summary>
public sealed record RoadFlow(string Road, double Flow, double Lower, double Upper, double MeanSpeed, double Density, bool Observed);
