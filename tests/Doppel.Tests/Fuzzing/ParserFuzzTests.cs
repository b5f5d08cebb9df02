using System.Globalization;
using System.Text.Json;
using Doppel.Cli.Bench.Fuzz;
using Xunit.Abstractions;

namespace Doppel.Tests.Fuzzing;

/// <summary>
/// Fuzzes each parser of untrusted input (queries, route filters, JSON Patch, mapping and scenario files, device
/// payloads) with seeded structure-aware inputs (<see cref="TextMutator"/> over real inputs and each grammar's tokens)
/// and asserts that no exception escapes, no input hangs or crashes the process, and what is accepted works (see each
/// <see cref="IFuzzTarget"/>). A campaign runs in a child process over all cores. Deterministic: DOPPEL_FUZZ_SEED and
/// DOPPEL_FUZZ_COUNT choose another seed or size (the counts here keep the suite short; <c>doppel bench fuzz --target
/// NAME</c> runs a million per target); a failure names the seed and the input's index, shows the input minimised,
/// and gives the command that replays it.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const ulong DefaultSeed = 20251207;
    private static readonly TimeSpan CampaignTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public Task Queries_and_conditions_never_throw_hang_or_fail_to_run_once_parsed() => FuzzAsync("query", 150_000);

    [Fact]
    public Task Route_filters_never_throw_hang_or_misjudge_events() => FuzzAsync("filter", 300_000);

    [Fact]
    public Task Json_patches_never_throw_hang_or_leave_an_invalid_twin() => FuzzAsync("patch", 200_000);

    [Fact]
    public Task Mapping_documents_never_throw_hang_or_make_a_mapping_that_does_not_match() => FuzzAsync("mapping", 40_000);

    [Fact]
    public Task Scenario_files_never_throw_hang_or_fail_to_run_once_read() => FuzzAsync("scenario", 25_000);

    [Fact]
    public Task Device_payloads_never_throw_hang_or_change_what_they_do_not_name() => FuzzAsync("payload", 300_000);

    private async Task FuzzAsync(string target, long defaultCount)
    {
        var seed = Environment.GetEnvironmentVariable("DOPPEL_FUZZ_SEED") is { Length: > 0 } s ? ulong.Parse(s, CultureInfo.InvariantCulture) : DefaultSeed;
        var count = Environment.GetEnvironmentVariable("DOPPEL_FUZZ_COUNT") is { Length: > 0 } c ? long.Parse(c, CultureInfo.InvariantCulture) : defaultCount;
        var workers = Environment.ProcessorCount;
        var folder = Directory.CreateTempSubdirectory($"doppel-{target}-fuzz-").FullName;
        try
        {
            var slots = Path.Combine(folder, "slots");
            var run = await FuzzChildProcess.RunAsync(CampaignTimeout, ParserFuzzChild.RunCommand, target, Text(seed), Text(count), Text(workers), slots);
            var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var failures = new List<string>();
            var replay = (long index) => $"replay: doppel bench fuzz --target {target} --seed {seed} --replay {index}";
            if (lines.FirstOrDefault(l => l.StartsWith("report ", StringComparison.Ordinal)) is { } line)
            {
                var report = JsonSerializer.Deserialize<FuzzReport>(line["report ".Length..])!;
                output.WriteLine($"{target}: {report.Inputs:N0} inputs in {report.Seconds:F1} s ({report.InputsPerSecond:N0}/s) on {workers} workers, seed {seed}; {report.Exceptions:N0} failed");
                foreach (var (outcome, n) in report.Outcomes)
                {
                    output.WriteLine($"  {n,10:N0}  {outcome}");
                }

                Assert.Equal(count, report.Inputs);
                failures.AddRange(report.Failures.Select(f =>
                    $"{f.Signature}, seed {seed}, input {f.Index}: {f.Type}: {Clip(f.Message)}\n"
                    + string.Concat(f.Stack.Take(8).Select(frame => $"    {frame}\n"))
                    + $"  minimised input: {JsonSerializer.Serialize(f.Minimal)}\n  {replay(f.Index)}"));
            }
            else
            {
                // The campaign died (a stack overflow, a fail-fast) or hung: replay what each worker was running, one by one.
                var hang = lines.FirstOrDefault(l => l.StartsWith("hang ", StringComparison.Ordinal));
                var suspects = hang is not null ? [long.Parse(hang.Split(' ')[1], CultureInfo.InvariantCulture)] : FuzzCampaign.InFlight(slots, workers);
                var mutator = ParserFuzzChild.Target(target).Mutator;
                foreach (var index in suspects)
                {
                    var one = await FuzzChildProcess.RunAsync(FuzzCampaign.HangLimit + TimeSpan.FromSeconds(20), ParserFuzzChild.OneCommand, target, Text(seed), Text(index));
                    var what = one.ExitCode == 3 || one.TimedOut ? "HANG"
                        : one.StdErr.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase) ? "STACK OVERFLOW"
                        : one.ExitCode != 0 ? $"CRASH (exit code {one.ExitCode})"
                        : one.StdOut.Trim();
                    failures.Add($"{what}, seed {seed}, input {index}: {Clip(JsonSerializer.Serialize(mutator.Make(seed, index)))}\n  {replay(index)}\n  {Clip(one.StdErr, 800)}");
                }

                failures.Add($"The campaign did not finish (exit code {run.ExitCode}{(run.TimedOut ? ", timed out" : "")}); stderr: {Clip(run.StdErr)}");
            }

            Assert.True(failures.Count == 0, $"{failures.Count} fuzz failure(s) of {target}:\n" + string.Join("\n", failures));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Clip(string text, int max = 3000) => text.Length > max ? text[..max] + $"… ({text.Length:N0} characters)" : text;
}
