using Doppel.Simulation.Experiments;

namespace Doppel.Tests.Simulation.Experiments;

/// <summary>Seeds derived per scenario, replication and stream.</summary>
public sealed class SeedSequenceTests
{
    [Fact]
    public void With_common_random_numbers_every_scenario_gets_the_same_seeds()
    {
        Assert.Equal(SeedSequence.For(42, 0, 5, 1), SeedSequence.For(42, 3, 5, 1));
        Assert.NotEqual(SeedSequence.For(42, 0, 5, 1, commonRandomNumbers: false), SeedSequence.For(42, 3, 5, 1, commonRandomNumbers: false));
    }

    [Fact]
    public void Seeds_of_replications_streams_and_experiments_are_distinct()
    {
        var seeds = new HashSet<ulong>();
        for (ulong experiment = 0; experiment < 4; experiment++)
        {
            for (var scenario = 0; scenario < 4; scenario++)
            {
                for (var replication = 0; replication < 100; replication++)
                {
                    for (var stream = 0; stream < 4; stream++)
                    {
                        Assert.True(seeds.Add(SeedSequence.For(experiment, scenario, replication, stream, commonRandomNumbers: false)));
                    }
                }
            }
        }
    }

    [Fact]
    public void Mix_is_the_splitmix64_finalizer()
    {
        // The first output of SplitMix64 seeded with 0 (state advanced by the golden gamma).
        Assert.Equal(0xE220A8397B1DCDAFUL, SeedSequence.Mix(0x9E3779B97F4A7C15));
    }
}
