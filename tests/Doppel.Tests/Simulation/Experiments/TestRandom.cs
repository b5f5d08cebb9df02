using Doppel.Simulation;

namespace Doppel.Tests.Simulation.Experiments;

/// <summary>Draws the experiment tests need, on the kernel's own generator.</summary>
internal static class TestRandom
{
    /// <summary>The mean of <paramref name="count"/> uniform draws.</summary>
    public static double MeanOfUniforms(this SimRandom random, int count)
    {
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += random.NextDouble();
        }
        return sum / count;
    }
}
