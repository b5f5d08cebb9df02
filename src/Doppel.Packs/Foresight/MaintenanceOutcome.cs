namespace Doppel.Packs.Foresight;

/// <summary>What one simulated horizon of a maintenance plan came to.</summary>
/// <param name="Cost">The total cost (<see cref="MaintenanceCosts"/>).</param>
/// <param name="Failures">Engines that failed in service.</param>
/// <param name="Services">Planned services done.</param>
/// <param name="UnusedLife">Cycles of life thrown away by services, over the fleet.</param>
/// <param name="GroundedCycles">Cycles failed engines waited for the crew, over the fleet.</param>
/// <param name="Postponed">Planned services the crew could not do in their period (busy with repairs), each time.</param>
public readonly record struct MaintenanceOutcome(double Cost, int Failures, int Services, double UnusedLife, double GroundedCycles, int Postponed);
