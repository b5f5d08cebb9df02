namespace Doppel.Packs.Foresight;

/// <summary>What a maintenance plan costs, in one currency unit.</summary>
/// <param name="Service">A planned service: the engine's downtime and the shop visit.</param>
/// <param name="Failure">An unplanned failure in service: the repair, the disruption, the longer downtime.</param>
/// <param name="Grounded">Each cycle a failed engine waits on the ground for the crew.</param>
/// <param name="UnusedLife">Each cycle of life an early service throws away (the engine would have flown it).</param>
public sealed record MaintenanceCosts(double Service, double Failure, double Grounded, double UnusedLife)
{
    /// <summary>What is wrong with the costs, one message each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Check(Service, "service");
        Check(Failure, "failure");
        Check(Grounded, "grounded");
        Check(UnusedLife, "unusedLife");
        return errors;

        void Check(double value, string name)
        {
            if (!double.IsFinite(value) || value < 0)
            {
                errors.Add($"{name} must be a number 0 or more, got {value}.");
            }
        }
    }
}
