using Doppel.Packs.Health.Trials;

namespace Doppel.Tests.Packs.Health.Trials;

public sealed class GlucoseMetricsTests
{
    // simglucose's analysis/risk.py risk(BG) for these values (printed with repr by the peer, Debian's numpy 1.24).
    [Theory]
    [InlineData(15, 100.0, 0.0)]
    [InlineData(20, 100.0, 0.0)]
    [InlineData(39, 38.20218032888129, 0.0)]
    [InlineData(54, 18.461364768204216, 0.0)]
    [InlineData(69.9, 7.801782812195807, 0.0)]
    [InlineData(70, 7.755205570609469, 0.0)]
    [InlineData(112.5, 8.292076210806931e-07, 0.0)]
    [InlineData(140, 0.0, 1.664987894580937)]
    [InlineData(180, 0.0, 7.729311510542555)]
    [InlineData(250, 0.0, 22.436199666621214)]
    [InlineData(400, 0.0, 57.04609863108487)]
    [InlineData(600, 0.0, 100.0)]
    [InlineData(700, 0.0, 100.0)]
    public void Indices_of_one_value_are_simglucose_risk_of_it(double bg, double low, double high)
    {
        var metrics = GlucoseMetrics.Of([bg]);

        Assert.Equal(low, metrics.Lbgi, 1e-12);
        Assert.Equal(high, metrics.Hbgi, 1e-12);
        Assert.Equal(low + high, metrics.RiskIndex, 1e-12);
    }

    [Fact]
    public void Indices_of_a_series_are_simglucose_risk_index_over_it()
    {
        double[] bg = [15, 20, 39, 54, 69.9, 70, 112.5, 140, 180, 180.1, 250, 251, 400, 600, 700];

        var metrics = GlucoseMetrics.Of(bg);

        // risk_index(bg, len(bg)) printed by the peer.
        Assert.Equal(18.14803562060656, metrics.Lbgi, 1e-12);
        Assert.Equal(21.285790189342766, metrics.Hbgi, 1e-12);
        Assert.Equal(39.43382580994933, metrics.RiskIndex, 1e-12);
    }

    [Fact]
    public void Ranges_count_their_boundaries_as_the_consensus_does()
    {
        // 70 and 180 are in range; 54 is below 70 but not below 54; 250 is above 180 but not above 250.
        double[] bg = [53.9, 54, 69.9, 70, 120, 180, 180.1, 250, 250.1, 300];

        var metrics = GlucoseMetrics.Of(bg);

        Assert.Equal(30, metrics.TimeInRange, 1e-12);
        Assert.Equal(30, metrics.Below70, 1e-12);
        Assert.Equal(10, metrics.Below54, 1e-12);
        Assert.Equal(40, metrics.Above180, 1e-12);
        Assert.Equal(20, metrics.Above250, 1e-12);
        Assert.Equal(100, metrics.TimeInRange + metrics.Below70 + metrics.Above180, 1e-12);
        Assert.Equal(1528.0 / 10, metrics.MeanGlucose, 1e-12);
    }

    [Fact]
    public void Cvga_point_is_the_interpolated_percentiles_clamped_to_the_grid()
    {
        // 200 values 60, 61, ..., 259: numpy's percentile(…, 2.5) = 60 + 0.025·199, percentile(…, 97.5) = 60 + 0.975·199.
        var bg = Enumerable.Range(60, 200).Select(v => (double)v).Reverse().ToArray();

        var (minimum, maximum) = Cvga.Point(bg);

        Assert.Equal(64.975, minimum, 1e-9);
        Assert.Equal(254.025, maximum, 1e-9);
        // Beyond the grid the point sits on its edges: a flat 40 is (50, 110), a flat 500 is (110, 400).
        Assert.Equal((50.0, 110.0), Cvga.Point([40, 40, 40]));
        Assert.Equal((110.0, 400.0), Cvga.Point([500, 500]));
    }

    // Magni et al. 2008, figure 1: the nine zones of the grid and its lines at 70, 90 (minimum), 180, 300 (maximum).
    [Theory]
    [InlineData(100, 150, CvgaZone.A)]
    [InlineData(110, 110, CvgaZone.A)]
    [InlineData(80, 150, CvgaZone.LowerB)]
    [InlineData(100, 250, CvgaZone.UpperB)]
    [InlineData(80, 250, CvgaZone.B)]
    [InlineData(60, 150, CvgaZone.LowerC)]
    [InlineData(100, 350, CvgaZone.UpperC)]
    [InlineData(60, 250, CvgaZone.LowerD)]
    [InlineData(80, 350, CvgaZone.UpperD)]
    [InlineData(60, 350, CvgaZone.E)]
    [InlineData(90, 150, CvgaZone.LowerB)]
    [InlineData(70, 150, CvgaZone.LowerC)]
    [InlineData(100, 180, CvgaZone.UpperB)]
    [InlineData(100, 300, CvgaZone.UpperC)]
    public void Cvga_zone_is_read_off_the_grid(double minimum, double maximum, CvgaZone zone)
    {
        Assert.Equal(zone, Cvga.Zone(minimum, maximum));
    }

    [Fact]
    public void A_run_falls_in_the_zone_of_its_point()
    {
        // A tight day around 120 is accurate control; one with a low of 50 and a high of 320 is erroneous.
        var tight = Enumerable.Range(0, 480).Select(i => 120 + (25 * Math.Sin(i / 30.0))).ToArray();
        var wild = Enumerable.Range(0, 480).Select(i => 185 + (135 * Math.Sin(i / 30.0))).ToArray();

        Assert.Equal(CvgaZone.A, GlucoseMetrics.Of(tight).Zone);
        Assert.Equal(CvgaZone.E, GlucoseMetrics.Of(wild).Zone);
        Assert.Equal('B', Cvga.Letter(CvgaZone.UpperB));
    }

    [Fact]
    public void Empty_or_missing_values_are_refused_with_a_reason()
    {
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => GlucoseMetrics.Of([])).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => GlucoseMetrics.Of([100, double.NaN])).Message, StringComparison.Ordinal);
    }
}
