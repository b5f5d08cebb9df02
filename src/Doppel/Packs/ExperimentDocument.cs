using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>A scenario file as the host read it: its root (the kind reads its own keys there), and its run settings, validated.</summary>
public sealed record ExperimentDocument(DocumentMap Root, RunSettings Run);
