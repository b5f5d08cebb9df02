namespace Doppel.Packs.Health.Trials;

/// <summary>A signed-rank test's outcome: W⁺ (the sum of the ranks of positive differences), the non-zero pairs, the two-sided p-value, and whether it is exact.</summary>
public readonly record struct WilcoxonResult(double WPlus, int Pairs, double PValue, bool Exact);
