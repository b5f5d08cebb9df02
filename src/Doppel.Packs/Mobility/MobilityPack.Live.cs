namespace Doppel.Packs.Mobility;

public sealed partial class MobilityPack
{
    partial void RegisterLive(PackBuilder pack) => pack
        .AddModels(() => Resource("models.json"));

    /// <summary>A file the mobility pack carries in its assembly (samples/city's models, network, demand and twins).</summary>
    internal static Stream Resource(string name) =>
        typeof(MobilityPack).Assembly.GetManifestResourceStream($"Doppel.Packs.Mobility.{name}")
        ?? throw new InvalidOperationException($"The mobility pack's {name} is not embedded in its assembly.");
}
