using ScottPlot;

namespace Doppel.Packs.Health.Trials.Internal;

/// <summary>
/// A trial's picture (PNG, ScottPlot): per cohort, each controller's mean BG over the day(s) with the 70–180 range
/// marked; beside them the control-variability grid with every run's point.
/// </summary>
internal static class TrialPlots
{
    public static void Save(GlucoseTrialResult result, double sampleTime, string path)
    {
        var design = result.Design;
        var multiplot = new Multiplot();
        multiplot.AddPlots(design.Cohorts.Count + 1);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var palette = new ScottPlot.Palettes.Category10();
        for (var c = 0; c < design.Cohorts.Count; c++)
        {
            var cohort = design.Cohorts[c];
            var plot = multiplot.GetPlot(c);
            for (var k = 0; k < design.Controllers.Count; k++)
            {
                var runs = result.Runs.Where(r => r.Cohort == cohort.Name && r.Controller == design.Controllers[k].Name && r.Bg is not null).ToList();
                if (runs.Count == 0)
                {
                    continue;
                }
                var length = runs.Min(r => r.Bg!.Count);
                var hours = new double[length];
                var mean = new double[length];
                for (var i = 0; i < length; i++)
                {
                    hours[i] = i * sampleTime / 60;
                    mean[i] = runs.Average(r => r.Bg![i]);
                }
                var line = plot.Add.ScatterLine(hours, mean);
                line.LegendText = design.Controllers[k].Name;
                line.Color = palette.GetColor(k);
                line.LineWidth = 2;
            }
            foreach (var level in (double[])[70, 180])
            {
                var rule = plot.Add.HorizontalLine(level);
                rule.LinePattern = LinePattern.Dashed;
                rule.Color = Colors.Gray;
            }
            plot.Title($"{cohort.Name}: mean BG");
            plot.XLabel("hours");
            plot.YLabel("BG (mg/dL)");
            plot.ShowLegend(Alignment.UpperRight);
        }

        var grid = multiplot.GetPlot(design.Cohorts.Count);
        foreach (var (left, right, bottom, top, color) in Zones())
        {
            var zone = grid.Add.Rectangle(left, right, bottom, top);
            zone.FillColor = color.WithAlpha(0.35);
            zone.LineColor = Colors.White;
        }
        for (var k = 0; k < design.Controllers.Count; k++)
        {
            var runs = result.Runs.Where(r => r.Controller == design.Controllers[k].Name).ToList();
            var points = grid.Add.ScatterPoints(runs.Select(r => r.Metrics.CvgaMinimum).ToArray(), runs.Select(r => r.Metrics.CvgaMaximum).ToArray());
            points.Color = palette.GetColor(k);
            points.MarkerSize = 6;
            points.LegendText = design.Controllers[k].Name;
        }
        // The grid's minimum axis runs from 110 down to 50, as Magni et al. draw it.
        grid.Axes.SetLimits(Cvga.Corner, Cvga.MinimumFloor, Cvga.Corner, Cvga.MaximumCeiling);
        grid.Title("Control-variability grid");
        grid.XLabel("min BG (2.5th percentile)");
        grid.YLabel("max BG (97.5th percentile)");
        grid.ShowLegend(Alignment.UpperLeft);
        multiplot.SavePng(path, 550 * (design.Cohorts.Count + 1), 450);
    }

    private static IEnumerable<(double Left, double Right, double Bottom, double Top, Color Color)> Zones()
    {
        var green = Colors.LimeGreen;
        yield return (90, 110, 110, 180, green);
        yield return (70, 90, 110, 180, Colors.Green);
        yield return (90, 110, 180, 300, Colors.Green);
        yield return (70, 90, 180, 300, Colors.Green);
        yield return (50, 70, 110, 180, Colors.Yellow);
        yield return (90, 110, 300, 400, Colors.Yellow);
        yield return (50, 70, 180, 300, Colors.Orange);
        yield return (70, 90, 300, 400, Colors.Orange);
        yield return (50, 70, 300, 400, Colors.Red);
    }
}
