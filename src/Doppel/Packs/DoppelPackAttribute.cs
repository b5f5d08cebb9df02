namespace Doppel.Packs;

/// <summary>
/// Names a pack type of this assembly, so that a host scanning the assemblies beside it (and in <c>DOPPEL_PACKS</c>)
/// finds it without loading anything else: <c>[assembly: DoppelPack(typeof(ManufacturingPack))]</c>. The type
/// implements <see cref="IPack"/> and has a public parameterless constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class DoppelPackAttribute(Type packType) : Attribute
{
    public Type PackType { get; } = packType;
}
