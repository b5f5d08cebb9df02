using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Planning;

namespace Doppel.Tests.Mobility.Planning;

/// <summary>
/// The signal optimiser's search space: its start is the plan in force, any point keeps each cycle, phase sequence and
/// clearance phases and gives every green phase at least its minimum, and a region naming what cannot be optimised is refused.
/// </summary>
public sealed class SignalPlanSpaceTests
{
    private static readonly SignalProgram TwoPhase = new("A0", "static", "0", 10,
        [new(42, "GGrr"), new(3, "yyrr"), new(42, "rrGG"), new(3, "rryy")]);

    private static readonly SignalProgram ThreePhase = new("B0", "static", "0", 0,
        [new(30, "GrrGrr"), new(3, "yrryrr"), new(6, "rGrrGr"), new(3, "ryrryr"), new(20, "rrGrrG"), new(2, "rrrrrr"), new(3, "rryrry")]);

    private static RoadNetwork Network(params SignalProgram[] programs) => new([], [], [], programs);

    [Fact]
    public void The_start_point_decodes_to_the_programs_in_force_under_the_new_program_id()
    {
        var space = SignalPlanSpace.Create(Network(TwoPhase, ThreePhase)).Value!;

        var decoded = space.Decode(space.Start, "optimized");

        Assert.Equal(2 + 1 + 3 + 1, space.Problem.Dimensions);
        Assert.True(space.Problem.IsFeasible(space.Start));
        Assert.Equal(
            [TwoPhase with { ProgramId = "optimized" }, ThreePhase with { ProgramId = "optimized" }],
            decoded.Select(p => p with { Phases = p.Phases }).ToList(),
            (a, b) => a.Id == b.Id && a.ProgramId == b.ProgramId && a.Offset == b.Offset && a.Phases.SequenceEqual(b.Phases));
    }

    [Fact]
    public void Any_point_keeps_the_cycle_the_clearance_phases_and_the_minimum_green_in_whole_seconds()
    {
        var space = SignalPlanSpace.Create(Network(ThreePhase), minGreen: 5).Value!;
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var point = space.Problem.Lower.Select((low, i) => low + (random.NextDouble() * (space.Problem.Upper[i] - low))).ToArray();

            var program = space.Decode(point, "x").Single();

            Assert.Equal(ThreePhase.CycleTime, program.CycleTime);
            Assert.Equal(ThreePhase.Phases.Select(p => p.State), program.Phases.Select(p => p.State));
            foreach (var i in new[] { 1, 3, 5, 6 })
            {
                Assert.Equal(ThreePhase.Phases[i].Duration, program.Phases[i].Duration);
            }
            Assert.All(new[] { 0, 2, 4 }, i => Assert.True(program.Phases[i].Duration >= 5, $"phase {i} got {program.Phases[i].Duration} s"));
            Assert.All(program.Phases, p => Assert.Equal(Math.Floor(p.Duration), p.Duration));
            Assert.InRange(program.Offset, 0, program.CycleTime - 1);
        }
    }

    [Fact]
    public void All_the_weight_on_one_phase_gives_it_every_spare_second()
    {
        var space = SignalPlanSpace.Create(Network(TwoPhase), minGreen: 8).Value!;

        var program = space.Decode([1, 0, 25], "x").Single();

        Assert.Equal([76, 3, 8, 3], program.Phases.Select(p => p.Duration));
        Assert.Equal(25, program.Offset);
    }

    [Fact]
    public void A_region_with_an_unknown_or_actuated_signal_is_refused_with_its_name()
    {
        var actuated = TwoPhase with { Id = "C0", Type = "actuated" };

        var unknown = SignalPlanSpace.Create(Network(TwoPhase, actuated), ["A0", "Z9"]);
        var notStatic = SignalPlanSpace.Create(Network(TwoPhase, actuated), ["C0"]);
        var none = SignalPlanSpace.Create(Network(actuated));

        Assert.Contains("no traffic light 'Z9' (it has A0, C0)", unknown.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("'C0' runs a program of type actuated", notStatic.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("no static traffic-light program", none.Error!.Message, StringComparison.Ordinal);
    }
}
