namespace Doppel.Simulation.Optimization;

/// <summary>
/// Share a budget of whole units over slots (buffer places over the buffers of a line, crews over shifts): each slot
/// gets between its minimum and maximum, and all slots together exactly the budget.
/// </summary>
public sealed record AllocationProblem(int Budget, IReadOnlyList<int> Minimum, IReadOnlyList<int> Maximum)
{
    public int Slots => Minimum.Count;

    /// <summary>What makes the problem impossible, one message each; empty when some allocation satisfies it.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Minimum.Count == 0 || Minimum.Count != Maximum.Count)
        {
            errors.Add($"Give a minimum and a maximum for each slot (got {Minimum.Count} and {Maximum.Count}).");
            return errors;
        }
        for (var i = 0; i < Slots; i++)
        {
            if (Minimum[i] < 0 || Maximum[i] < Minimum[i])
            {
                errors.Add($"Slot {i + 1}: need 0 <= minimum ({Minimum[i]}) <= maximum ({Maximum[i]}).");
            }
        }
        if (Minimum.Sum() > Budget || Maximum.Sum() < Budget)
        {
            errors.Add($"The budget {Budget} cannot be shared: the minimums add up to {Minimum.Sum()}, the maximums to {Maximum.Sum()}.");
        }
        return errors;
    }

    public bool IsFeasible(IReadOnlyList<int> allocation) =>
        allocation.Count == Slots && allocation.Sum() == Budget && allocation.Select((v, i) => v >= Minimum[i] && v <= Maximum[i]).All(ok => ok);

    /// <summary>Every feasible allocation, in lexicographic order (for small problems and for checking the optimizer).</summary>
    public IEnumerable<int[]> Enumerate()
    {
        var current = new int[Slots];
        return Fill(0, Budget);

        IEnumerable<int[]> Fill(int slot, int left)
        {
            if (slot == Slots - 1)
            {
                if (left >= Minimum[slot] && left <= Maximum[slot])
                {
                    current[slot] = left;
                    yield return (int[])current.Clone();
                }
                yield break;
            }
            for (var v = Minimum[slot]; v <= Math.Min(Maximum[slot], left); v++)
            {
                current[slot] = v;
                foreach (var allocation in Fill(slot + 1, left - v))
                {
                    yield return allocation;
                }
            }
        }
    }
}
