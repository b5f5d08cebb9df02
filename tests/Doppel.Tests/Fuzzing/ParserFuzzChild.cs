using System.Globalization;
using System.Text.Json;
using Doppel.Cli.Bench.Fuzz;

namespace Doppel.Tests.Fuzzing;

/// <summary>
/// The parser fuzz campaigns' side of the child process (<c>dotnet Doppel.Tests.dll parser-fuzz …</c>), so that a
/// stack overflow or a hang cannot take the test host down: <c>parser-fuzz &lt;target&gt; &lt;seed&gt; &lt;count&gt;
/// &lt;workers&gt; &lt;slots-file&gt;</c> prints <c>report &lt;json&gt;</c> at the end, or <c>hang &lt;index&gt;</c> and
/// exits 3; <c>parser-fuzz-one &lt;target&gt; &lt;seed&gt; &lt;index&gt;</c> runs one input and prints <c>ok</c>,
/// <c>exception …</c> or <c>hang</c> (then exits 3).
/// </summary>
internal static class ParserFuzzChild
{
    public const string RunCommand = "parser-fuzz";
    public const string OneCommand = "parser-fuzz-one";

    public static int Run(string name, ulong seed, long count, int workers, string slotsFile)
    {
        var target = Target(name);
        var output = TextWriter.Synchronized(Console.Out);
        var report = FuzzCampaign.Run(target, seed, count, workers, slotsFile, (index, _) =>
        {
            output.WriteLine($"hang {index.ToString(CultureInfo.InvariantCulture)}");
            output.Flush();
        });
        output.WriteLine($"report {JsonSerializer.Serialize(report with { Failures = [.. report.Failures.Select(f => f with { Input = FuzzCampaign.Printable(f.Input), Minimal = FuzzCampaign.Printable(f.Minimal), Message = FuzzCampaign.Printable(f.Message) })] })}");
        output.Flush();
        return 0;
    }

    public static int RunOne(string name, ulong seed, long index)
    {
        var target = Target(name);
        var (outcome, error) = FuzzCampaign.RunAlone(target, target.Mutator.Make(seed, index));
        Console.WriteLine(outcome is not null ? "ok" : error is not null ? $"exception {error.GetType().FullName}: {error.Message}" : "hang");
        Console.Out.Flush();
        if (outcome is null && error is null)
        {
            Environment.Exit(3);
        }

        return 0;
    }

    /// <summary>The target, seeded from this source tree's tests, docs and samples when the tests run inside it.</summary>
    public static IFuzzTarget Target(string name) => FuzzTargets.Create(name, FuzzCorpus.FindRepository()) ?? throw new ArgumentException($"No fuzz target '{name}'.", nameof(name));
}
