namespace Doppel.Modeling;

/// <summary>Finds a loaded interface by its identifier.</summary>
public interface IModelResolver
{
    InterfaceModel? Resolve(Dtmi id);
}
