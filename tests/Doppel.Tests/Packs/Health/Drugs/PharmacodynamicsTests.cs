using Doppel.Packs.Health.Drugs;

namespace Doppel.Tests.Packs.Health.Drugs;

/// <summary>Emax and the four indirect responses against what their equations say at known points.</summary>
public sealed class PharmacodynamicsTests
{
    [Fact]
    public void Sigmoid_Emax_is_half_way_at_EC50_and_follows_the_Hill_curve()
    {
        var model = new EmaxModel(E0: 10, Emax: 80, EC50: 4, Hill: 2.5);
        Assert.Equal(10, model.Effect(0));
        Assert.Equal(50, model.Effect(4), 12);
        Assert.Equal(10 + (80 * Math.Pow(8, 2.5) / (Math.Pow(4, 2.5) + Math.Pow(8, 2.5))), model.Effect(8), 12);
        Assert.Equal(90, model.Effect(1e9), 6);
        Assert.NotNull(new EmaxModel(0, 1, -1).Problem());
    }

    [Theory]
    [InlineData(IndirectResponseType.InhibitProduction)]
    [InlineData(IndirectResponseType.InhibitLoss)]
    [InlineData(IndirectResponseType.StimulateProduction)]
    [InlineData(IndirectResponseType.StimulateLoss)]
    public void An_indirect_response_rests_at_baseline_and_reaches_its_steady_state_under_a_constant_level(IndirectResponseType type)
    {
        var model = new IndirectResponseModel(type, Kin: 12, Kout: 0.3, Max: type is IndirectResponseType.InhibitProduction or IndirectResponseType.InhibitLoss ? 0.8 : 3, C50: 5, Hill: 1.5);
        Assert.Null(model.Problem());
        Assert.Equal(40, model.Simulate(_ => 0, [10, 100])[1], 9);
        // A constant concentration of 7 from t = 0: R approaches its steady state; for types I and III exactly
        // R(t) = Rss + (R0 − Rss)·e^(−kout·t), a closed form to check the integration against.
        var times = new[] { 1.0, 5, 20, 200 };
        var response = model.Simulate(_ => 7, times);
        var steady = model.SteadyState(7);
        Assert.Equal(steady, response[^1], 6);
        if (type is IndirectResponseType.InhibitProduction or IndirectResponseType.StimulateProduction)
        {
            for (var i = 0; i < times.Length; i++)
            {
                Assert.Equal(steady + ((40 - steady) * Math.Exp(-0.3 * times[i])), response[i], 9);
            }
        }
        // The direction of the effect.
        var up = type is IndirectResponseType.InhibitLoss or IndirectResponseType.StimulateProduction;
        Assert.Equal(up, steady > 40);
    }

    [Fact]
    public void An_indirect_response_follows_a_PK_curve_and_returns_to_baseline()
    {
        var pk = new CompartmentModel(Vancomycin.Goti2018.Typical(new Dictionary<string, double> { ["crcl"] = 120, ["weight"] = 70, ["dialysis"] = 0 }));
        var doses = new DosingRegimen(1000, 12, 3).Doses();
        var model = new IndirectResponseModel(IndirectResponseType.InhibitProduction, Kin: 5, Kout: 0.5, Max: 0.9, C50: 10);
        var response = model.Simulate(t => pk.Concentration(doses, t), [6, 30, 400], doses.SelectMany(d => new[] { d.Time, d.Time + d.Duration }));
        Assert.True(response[0] < 10 && response[1] < response[0] + 5, $"the response falls under the drug: {response[0]}, {response[1]}");
        Assert.Equal(10, response[2], 3);
    }
}
