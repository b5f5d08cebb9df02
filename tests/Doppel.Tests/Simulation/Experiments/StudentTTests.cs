using Doppel.Simulation.Experiments;
using Doppel.Simulation.Experiments.Internal;

namespace Doppel.Tests.Simulation.Experiments;

/// <summary>Student t quantiles against published tables, and the special functions beneath them.</summary>
public sealed class StudentTTests
{
    [Theory]
    [InlineData(0.975, 1, 12.70620474)]
    [InlineData(0.975, 2, 4.30265273)]
    [InlineData(0.975, 5, 2.57058184)]
    [InlineData(0.975, 9, 2.26215716)]
    [InlineData(0.975, 10, 2.22813885)]
    [InlineData(0.975, 30, 2.04227246)]
    [InlineData(0.975, 120, 1.97993040)]
    [InlineData(0.95, 5, 2.01504837)]
    [InlineData(0.9, 1, 3.07768354)]
    [InlineData(0.995, 10, 3.16927267)]
    [InlineData(0.9995, 3, 12.92397863)]
    [InlineData(0.99, 20, 2.52797700)]
    public void Quantiles_match_the_table(double p, double df, double expected)
    {
        // The table has 8 decimals.
        Assert.Equal(expected, StudentT.InverseCdf(p, df), 1e-8);
        Assert.Equal(-expected, StudentT.InverseCdf(1 - p, df), 1e-8);
    }

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.995, 2.575829303548901)]
    [InlineData(0.9995, 3.290526731491926)]
    [InlineData(0.8413447460685429, 1.0)]
    public void Infinite_degrees_of_freedom_give_normal_quantiles(double p, double z)
    {
        Assert.Equal(z, StudentT.InverseCdf(p, double.PositiveInfinity), 1e-13);
    }

    [Fact]
    public void Quantiles_approach_the_normal_as_degrees_of_freedom_grow()
    {
        double[] dfs = [100, 999, 1000, 1001, 5000, 1e6];
        var previous = double.PositiveInfinity;
        foreach (var df in dfs)
        {
            var t = StudentT.InverseCdf(0.975, df);
            Assert.True(t < previous && t > 1.959963984540054, $"t(0.975, {df}) = {t}");
            previous = t;
        }
        // t = z + (z³ + z) / 4ν + ...
        Assert.Equal(1.959963984540054 + (9.4889 / 4e6), StudentT.InverseCdf(0.975, 1e6), 1e-8);
        // The expansion used above 1000 degrees of freedom agrees with the exact solution there.
        Assert.Equal(StudentT.InverseCdf(0.9995, 1000), StudentT.CornishFisher(StudentT.InverseCdf(0.9995, double.PositiveInfinity), 1000), 1e-10);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(7.5)]
    [InlineData(17.3)]
    [InlineData(250)]
    public void The_cdf_inverts_the_quantile_for_fractional_degrees_of_freedom(double df)
    {
        foreach (var p in new[] { 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.9999 })
        {
            Assert.Equal(p, StudentT.Cdf(StudentT.InverseCdf(p, df), df), 1e-13);
        }
    }

    [Fact]
    public void Critical_value_is_the_two_sided_quantile()
    {
        Assert.Equal(StudentT.InverseCdf(0.975, 9), StudentT.CriticalValue(0.95, 9));
        // Bisection on the closed-form CDF for odd degrees of freedom gives 2.262157162798205.
        Assert.Equal(2.262157162798205, StudentT.CriticalValue(0.95, 9), 1e-13);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.InverseCdf(1.5, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.InverseCdf(0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.CriticalValue(1, 3));
    }

    [Theory]
    [InlineData(0.5, 0.5723649429247001)]
    [InlineData(1, 0)]
    [InlineData(3.5, 1.2009736023470743)]
    [InlineData(10, 12.801827480081469)]
    [InlineData(100.25, 360.2845596377643)]
    [InlineData(0.1, 2.252712651734206)]
    public void Log_gamma_matches_known_values(double x, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), 1e-12);
    }
}
