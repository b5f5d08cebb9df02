using System.Globalization;
using System.Text;
using System.Text.Json;
using Doppel.Cli.Bench.Dtdl;
using Doppel.Cli.Bench.Fuzz;
using Doppel.Tests.Fuzzing;
using Doppel.Tests.Modeling.Fuzzing;
using Xunit.Abstractions;

namespace Doppel.Tests.Modeling;

/// <summary>
/// Feeds <see cref="Doppel.Modeling.ModelParser"/> a million structure-aware mutations of valid and near-valid DTDL
/// (see <see cref="DtdlMutator"/>) and asserts that none gets an exception out of <c>Parse</c>, hangs or crashes the
/// process: errors are the expected outcome of bad input, exceptions are bugs. The campaign runs in a child process
/// over all cores, so a stack overflow is reported with the input that caused it instead of killing the test host.
/// Deterministic: DOPPEL_FUZZ_SEED and DOPPEL_FUZZ_COUNT choose another seed or size; a failure names the seed and
/// the input's index and shows the input minimised.
/// </summary>
public sealed class DtdlFuzzTests(ITestOutputHelper output)
{
    private const ulong DefaultSeed = 20251207;
    private const long DefaultCount = 1_000_000;
    private static readonly TimeSpan CampaignTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ReplayTimeout = DtdlFuzzCampaign.HangLimit + TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_million_mutated_document_sets_never_get_an_exception_out_of_the_parser()
    {
        var seed = Environment.GetEnvironmentVariable("DOPPEL_FUZZ_SEED") is { Length: > 0 } s ? ulong.Parse(s, CultureInfo.InvariantCulture) : DefaultSeed;
        var count = Environment.GetEnvironmentVariable("DOPPEL_FUZZ_COUNT") is { Length: > 0 } c ? long.Parse(c, CultureInfo.InvariantCulture) : DefaultCount;
        var workers = Environment.ProcessorCount;
        var folder = Directory.CreateTempSubdirectory("doppel-dtdl-fuzz-").FullName;
        try
        {
            await FuzzAsync(seed, count, workers, folder);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private async Task FuzzAsync(ulong seed, long count, int workers, string folder)
    {
        var slots = Path.Combine(folder, "slots");

        var run = await FuzzChildProcess.RunAsync(CampaignTimeout, DtdlFuzzCampaign.RunCommand, seed.ToString(CultureInfo.InvariantCulture),
            count.ToString(CultureInfo.InvariantCulture), workers.ToString(CultureInfo.InvariantCulture), slots);

        var failures = new List<string>();
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var done = lines.FirstOrDefault(l => l.StartsWith("done ", StringComparison.Ordinal))?.Split(' ');
        foreach (var line in lines.Where(l => l.StartsWith("exception ", StringComparison.Ordinal)))
        {
            using var report = JsonDocument.Parse(line[(line.IndexOf(' ', 10) + 1)..]);
            var r = report.RootElement;
            failures.Add($"EXCEPTION {r.GetProperty("signature").GetString()} ({r.GetProperty("mode").GetString()} mode), seed {seed}, input {r.GetProperty("index").GetInt64()}:\n"
                + $"  {r.GetProperty("type").GetString()}: {r.GetProperty("message").GetString()}\n"
                + string.Concat(r.GetProperty("stack").EnumerateArray().Select(f => $"    {f.GetString()}\n"))
                + Documents(r.GetProperty("minimal").EnumerateArray().Select(d => d.GetString()!).ToList()));
        }

        if (done is null)
        {
            // The campaign died (stack overflow, fail-fast) or hung: replay what each worker was parsing, one by one.
            var hang = lines.FirstOrDefault(l => l.StartsWith("hang ", StringComparison.Ordinal));
            var suspects = hang is not null ? [long.Parse(hang.Split(' ')[1], CultureInfo.InvariantCulture)] : DtdlFuzzCampaign.InFlight(slots, workers);
            var mutator = new DtdlMutator(TestSeeds.Load());
            foreach (var index in suspects)
            {
                var input = mutator.Make(seed, index);
                var mode = DtdlFuzzCampaign.Mode(index);
                var outcome = await ReplayAsync(folder, input, mode);
                if (outcome is null)
                {
                    continue;
                }

                var minimal = input;
                try
                {
                    minimal = await MinimizeOutOfProcessAsync(folder, input, mode, outcome);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
                {
                    output.WriteLine($"input {index} could not be minimised ({e.Message}); it is shown whole");
                }

                failures.Add($"{outcome} ({mode} mode), seed {seed}, input {index}:\n" + Documents(minimal));
            }

            failures.Add($"The campaign did not finish (exit code {run.ExitCode}{(run.TimedOut ? ", timed out" : "")}); stderr: {Clip(run.StdErr)}");
        }
        else
        {
            var (inputs, ms) = (long.Parse(done[1], CultureInfo.InvariantCulture), long.Parse(done[2], CultureInfo.InvariantCulture));
            output.WriteLine(lines.FirstOrDefault(l => l.StartsWith("outcomes ", StringComparison.Ordinal)) ?? "");
            output.WriteLine($"{inputs:N0} inputs in {ms / 1000.0:F1} s ({inputs * 1000.0 / Math.Max(ms, 1):N0}/s) on {workers} workers, seed {seed}; {done[3]} raised exceptions");
            Assert.True(inputs >= count, $"the campaign ran {inputs} of {count} inputs");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} fuzz failure(s):\n" + string.Join("\n", failures));
    }

    /// <summary>Runs one input in a fresh process; returns what went wrong (exception, crash, hang) or null.</summary>
    private static async Task<string?> ReplayAsync(string folder, IReadOnlyList<string> input, string mode)
    {
        var file = Path.Combine(folder, "replay.json");
        await File.WriteAllTextAsync(file, DtdlFuzzCampaign.EncodeDocuments(input));
        var run = await FuzzChildProcess.RunAsync(ReplayTimeout, DtdlFuzzCampaign.FileCommand, file, mode);
        if (run.TimedOut)
        {
            return "HANG";
        }

        if (run.ExitCode != 0)
        {
            var reason = run.StdErr.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase) ? "STACK OVERFLOW" : $"CRASH (exit code {run.ExitCode})";
            return $"{reason}: {Clip(run.StdErr, 600)}";
        }

        return run.StdOut.StartsWith("exception", StringComparison.Ordinal) ? "EXCEPTION " + run.StdOut.Trim() : null;
    }

    private static async Task<IReadOnlyList<string>> MinimizeOutOfProcessAsync(string folder, IReadOnlyList<string> input, string mode, string outcome)
    {
        var kind = outcome.Split(' ')[0];
        var minimal = input;
        // Each check is a process start; a small budget still shrinks the usual deep nesting or reference cycle a lot.
        await Task.Run(() => minimal = InputMinimizer.Minimize(input, candidate =>
            ReplayAsync(folder, candidate, mode).GetAwaiter().GetResult() is { } o && o.Split(' ')[0] == kind, budget: 120));
        return minimal;
    }

    /// <summary>A minimised input, one document per line.</summary>
    private static string Documents(IReadOnlyList<string> documents) =>
        string.Concat(documents.Select((d, i) => $"  document {i}: {Clip(d)}\n"));

    private static string Clip(string text, int max = 4000)
    {
        var builder = new StringBuilder(text.Length > max ? text[..max] : text);
        if (text.Length > max)
        {
            builder.Append($"… ({text.Length:N0} characters)");
        }

        return builder.ToString();
    }
}
