using Doppel.Cli.Bench.Dtdl;
using Doppel.Modeling;

namespace Doppel.Tests.Modeling.Fuzzing;

/// <summary>
/// Models "already loaded" when a fuzz input is parsed, as the server parses POST /models against its stored models:
/// the Interfaces of every seed that is valid on its own. Mutated inputs share their identifiers, so their references
/// resolve against these, and their definitions collide with them.
/// </summary>
internal sealed class ExistingModels(IReadOnlyDictionary<Dtmi, InterfaceModel> interfaces) : IModelResolver
{
    public InterfaceModel? Resolve(Dtmi id) => interfaces.GetValueOrDefault(id);

    public static ExistingModels From(IReadOnlyList<FuzzSeed> seeds)
    {
        var interfaces = new Dictionary<Dtmi, InterfaceModel>();
        foreach (var seed in seeds)
        {
            // A seed the parser throws on is left out here; the campaign meets it anyway and reports it.
            var (result, _) = DtdlFuzzCampaign.Parse("strict", seed.Texts, null);
            if (result is { IsValid: true })
            {
                foreach (var model in result.Interfaces)
                {
                    interfaces.TryAdd(model.Id, model);
                }
            }
        }

        return new ExistingModels(interfaces);
    }
}
