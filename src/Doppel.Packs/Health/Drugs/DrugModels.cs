namespace Doppel.Packs.Health.Drugs;

/// <summary>The population models the pack ships, by name.</summary>
public static class DrugModels
{
    public static IReadOnlyList<PopulationModel> All { get; } = [Vancomycin.Goti2018];

    /// <summary>A shipped model by its name, or an error that lists them.</summary>
    public static Result<PopulationModel> Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)) is { } model
            ? Result<PopulationModel>.Ok(model)
            : Result<PopulationModel>.Fail("NotFound", $"unknown model '{name}'; the shipped models are: {string.Join(", ", All.Select(m => m.Name))}");

    /// <summary>The virtual population that goes with a model (its data's patients).</summary>
    public static VirtualPopulation PopulationFor(PopulationModel model, double? dialysisShare = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Vancomycin.HospitalAdults(dialysisShare ?? 0.185);
    }
}
