namespace Doppel.Packs.Foresight;

/// <summary>The planning grid: cycles per period, periods in the horizon, and the crew's jobs per period.</summary>
public sealed record MaintenanceSchedule(double Period, int Periods, int Capacity);
