using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// Runs a target over <c>count</c> seeded inputs on several threads: an exception out of the target is a failure,
/// reported once per signature with its input minimised; an input that runs longer than the hang limit stops the
/// process (a thread cannot be aborted) after <c>onHang</c> has reported it. Each worker records the input it is
/// running in a memory-mapped slot, which outlives a crash of the process when it is backed by a file, so that whoever
/// started the process can replay what was in flight.
/// </summary>
internal static class FuzzCampaign
{
    /// <summary>An input this slow is a hang: the slowest real inputs (deep nesting, long literals) take milliseconds.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    /// <summary>A thread-pool thread's stack, where the server parses requests: deep input must be refused within it.</summary>
    public const int MaxStackSize = 1536 * 1024;

    private const int ReportedSignatures = 20;
    private const int MinimizeBudget = 2000;

    /// <summary>Runs the campaign.</summary>
    /// <param name="target">The parser under fuzzing.</param>
    /// <param name="seed">The inputs' seed: the same seed gives the same inputs.</param>
    /// <param name="count">How many inputs.</param>
    /// <param name="workers">Threads running inputs.</param>
    /// <param name="slotsFile">Where each worker records the input it is running (in memory when null).</param>
    /// <param name="onHang">Reports input <c>index</c> (its text given) that hangs; the process then exits with code 3.</param>
    /// <param name="progress">Called now and then with the number of inputs done.</param>
    public static FuzzReport Run(IFuzzTarget target, ulong seed, long count, int workers, string? slotsFile, Action<long, string> onHang, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var slots = slotsFile is null
            ? MemoryMappedFile.CreateNew(null, workers * 16L)
            : MemoryMappedFile.CreateFromFile(slotsFile, FileMode.OpenOrCreate, null, workers * 16L);
        using var view = slots.CreateViewAccessor();
        for (var w = 0; w < workers; w++)
        {
            view.Write(w * 16L, -1L);
        }

        var next = -1L;
        var done = 0L;
        var exceptions = 0L;
        var outcomes = new Dictionary<string, long>(StringComparer.Ordinal);
        var failures = new List<FuzzFailure>();
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        using var finished = new CancellationTokenSource();
        var watchdog = new Thread(() => Watch(target, seed, view, workers, clock, onHang, progress, () => Interlocked.Read(ref done), finished.Token)) { IsBackground = true };
        watchdog.Start();

        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            var local = new Dictionary<string, long>(StringComparer.Ordinal);
            long index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var input = target.Mutator.Make(seed, index);
                view.Write(w * 16L + 8, clock.ElapsedTicks);
                view.Write(w * 16L, index);
                var (outcome, error) = RunOne(target, input);
                view.Write(w * 16L, -1L); // what follows (minimising) is not the target's time
                Interlocked.Increment(ref done);
                if (error is null)
                {
                    local[outcome!] = local.GetValueOrDefault(outcome!) + 1;
                    continue;
                }

                Interlocked.Increment(ref exceptions);
                var signature = Signature(error);
                lock (signatures)
                {
                    if (signatures.Count >= ReportedSignatures || !signatures.Add(signature))
                    {
                        continue;
                    }
                }

                var minimal = InputMinimizer.Minimize([input], candidate => RunOne(target, candidate[0]).Error is { } e && Signature(e) == signature, MinimizeBudget)[0];
                var failure = new FuzzFailure(signature, index, error.GetType().FullName ?? error.GetType().Name, error.Message,
                    [.. (error.StackTrace ?? "").Split('\n').Take(10).Select(l => l.Trim())], input, minimal);
                lock (failures)
                {
                    failures.Add(failure);
                }
            }

            lock (outcomes)
            {
                foreach (var (key, n) in local)
                {
                    outcomes[key] = outcomes.GetValueOrDefault(key) + n;
                }
            }
        }, MaxStackSize)
        { IsBackground = true }).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        finished.Cancel();
        var ordered = failures.OrderBy(f => f.Index).ToList();
        return new FuzzReport(target.Name, seed, count, workers, clock.Elapsed.TotalSeconds, outcomes.OrderByDescending(o => o.Value).ToDictionary(), exceptions, ordered);
    }

    /// <summary>The target's outcome for one input, or the exception that escaped it.</summary>
    public static (string? Outcome, Exception? Error) RunOne(IFuzzTarget target, string input)
    {
        try
        {
            return (target.Run(input), null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }

    /// <summary>
    /// Runs one input on a thread with a request thread's stack, as the campaign does, for replays; a hang is an
    /// outcome here: null outcome and error both, when the input runs past <see cref="HangLimit"/>.
    /// </summary>
    public static (string? Outcome, Exception? Error) RunAlone(IFuzzTarget target, string input)
    {
        (string?, Exception?) result = default;
        var thread = new Thread(() => result = RunOne(target, input), MaxStackSize) { IsBackground = true };
        thread.Start();
        return thread.Join(HangLimit) ? result : (null, null);
    }

    /// <summary>Exception type and the frame that threw (in Doppel's code when it is on the stack): one bug, however many inputs reach it.</summary>
    public static string Signature(Exception e)
    {
        var frames = new StackTrace(e).GetFrames();
        var frame = frames.FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace is { } ns
                && ns.StartsWith("Doppel", StringComparison.Ordinal) && !ns.StartsWith("Doppel.Cli.Bench.Fuzz", StringComparison.Ordinal))
            ?? frames.FirstOrDefault();
        var method = frame?.GetMethod();
        // A violation is told apart by what was violated: its message up to the first colon.
        var what = e is FuzzViolation ? ": " + e.Message.Split(':')[0] : "";
        return $"{e.GetType().Name} at {method?.DeclaringType?.Name}.{method?.Name}{what}";
    }

    /// <summary>The text with each lone surrogate written as <c>\uXXXX</c>, so that JSON can carry it (inputs may hold them).</summary>
    public static string Printable(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(text, i++, 2);
            }
            else if (char.IsSurrogate(text[i]))
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)text[i]:X4}");
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>The indexes the workers were running when the process that used <paramref name="slotsFile"/> died.</summary>
    public static IReadOnlyList<long> InFlight(string slotsFile, int workers)
    {
        if (!File.Exists(slotsFile))
        {
            return [];
        }

        var bytes = File.ReadAllBytes(slotsFile);
        return [.. Enumerable.Range(0, Math.Min(workers, bytes.Length / 16)).Select(w => BitConverter.ToInt64(bytes, w * 16)).Where(i => i >= 0)];
    }

    private static void Watch(IFuzzTarget target, ulong seed, MemoryMappedViewAccessor view, int workers, Stopwatch clock, Action<long, string> onHang,
        Action<long>? progress, Func<long> done, CancellationToken finished)
    {
        var limit = (long)(HangLimit.TotalSeconds * Stopwatch.Frequency);
        while (!finished.WaitHandle.WaitOne(500))
        {
            progress?.Invoke(done());
            for (var w = 0; w < workers; w++)
            {
                var index = view.ReadInt64(w * 16L);
                var started = view.ReadInt64(w * 16L + 8);
                if (index >= 0 && clock.ElapsedTicks - started > limit && view.ReadInt64(w * 16L) == index)
                {
                    onHang(index, target.Mutator.Make(seed, index));
                    Environment.Exit(3);
                }
            }
        }
    }

}
