using Doppel.Packs.Mobility.Live;

namespace Doppel.Packs.Mobility;

public sealed partial class MobilityPack
{
    /// <summary>
    /// The console's city map (<c>#/packs/mobility/map?twin=CITY</c>): roads coloured by their twins' live speed or
    /// flow, signal states, and the vehicles of a what-if run's frames (Views/ConsolePages/map.js).
    /// </summary>
    partial void RegisterViews(PackBuilder pack) =>
        pack.AddConsolePage(new ConsolePage("map", "City map", CityTwin.ModelId, () => Resource("map.js")));
}
