using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Doppel.Analytics.Anomaly;
using Doppel.Cli.Invocation;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel detect: runs an anomaly detector over a <c>timestamp,value</c> CSV file and writes NAB's results format
/// (<c>timestamp,value,anomaly_score</c>), one row per input row in input order. Runs locally, without a server.
/// </summary>
internal static class DetectCommands
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A CSV file with a header naming 'timestamp' and 'value' columns (NAB's data format); .gz is read compressed." };
        var detector = new Option<string>("--detector") { Description = $"The detector: {string.Join(", ", AnomalyDetectors.Names)}.", DefaultValueFactory = _ => AnomalyDetectors.Default };
        var output = new Option<string?>("--out") { Description = "Where to write the results (default: standard output)." };
        var seed = new Option<int>("--seed") { Description = "Seeds the detector's randomness, if it uses any.", DefaultValueFactory = _ => 1 };
        var command = new Command("detect", "Score a timestamp,value series with an anomaly detector; writes timestamp,value,anomaly_score (NAB's results format).") { file, detector, output, seed };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var created = AnomalyDetectors.Create(parse.GetValue(detector)!, parse.GetValue(seed));
            if (!created.IsSuccess)
            {
                throw CommandFailure.Usage(created.Error.Message);
            }
            var series = TimeSeries.ReadFile(path);
            if (!series.IsSuccess)
            {
                throw CommandFailure.Usage(series.Error.Message);
            }
            var scorer = created.Value;
            var text = new StringBuilder(series.Value.Count * 48);
            text.Append("timestamp,value,anomaly_score\n");
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < series.Value.Count; i++)
            {
                var score = scorer.Next(new DateTimeOffset(series.Value.Timestamps[i], TimeSpan.Zero), series.Value.Values[i]).Score;
                text.Append(series.Value.TimestampTexts[i]).Append(',').Append(series.Value.ValueTexts[i]).Append(',')
                    .Append(score.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
            var elapsed = watch.Elapsed;
            if (parse.GetValue(output) is { } target)
            {
                try
                {
                    await File.WriteAllTextAsync(target, text.ToString(), ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw CommandFailure.Usage($"--out: cannot write {target}: {e.Message}");
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Scored {series.Value.Count:N0} rows with {scorer.Name} in {elapsed.TotalMilliseconds:0} ms; wrote {target}."));
            }
            else
            {
                await Console.Out.WriteAsync(text.ToString());
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
