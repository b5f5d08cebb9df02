using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text.Json;
using Doppel.Cli.Bench.Dtdl;
using Doppel.Cli.Bench.Fuzz;
using Doppel.Modeling;

namespace Doppel.Tests.Modeling.Fuzzing;

/// <summary>
/// The fuzz campaign, run in a child process of the test (<c>dotnet Doppel.Tests.dll dtdl-fuzz …</c>) so that a stack
/// overflow or a hang in the parser cannot take the test host down with it. Workers share the inputs through an
/// atomic counter; each records the input it is parsing in a memory-mapped file, which outlives a crash of this process
/// and tells the test which inputs to replay. Exceptions are caught here, minimised and reported on stdout, one line each:
/// <c>exception &lt;index&gt; &lt;json&gt;</c>, <c>hang &lt;index&gt; &lt;ms&gt;</c>, <c>done &lt;count&gt; &lt;ms&gt; &lt;exceptions&gt;</c>.
/// </summary>
internal static class DtdlFuzzCampaign
{
    public const string RunCommand = "dtdl-fuzz";
    public const string FileCommand = "dtdl-fuzz-file";

    /// <summary>A hang: far above the slowest input (a 400-deep nesting or a 20,000-element array parses in milliseconds).</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    /// <summary>The stack of a thread-pool thread, where the server parses POST /models: deep input must be refused within it.</summary>
    private const int MaxStackSize = 1536 * 1024;

    private const int ReportedSignatures = 20;

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const int MinimizeBudget = 3000;

    /// <summary><c>dtdl-fuzz &lt;seed&gt; &lt;count&gt; &lt;workers&gt; &lt;slots-file&gt;</c></summary>
    public static int Run(ulong seed, long count, int workers, string slotsFile)
    {
        using var slots = MemoryMappedFile.CreateFromFile(slotsFile, FileMode.OpenOrCreate, null, workers * 16L);
        using var view = slots.CreateViewAccessor();
        for (var w = 0; w < workers; w++)
        {
            view.Write(w * 16L, -1L);
        }

        var seeds = TestSeeds.Load();
        var mutator = new DtdlMutator(seeds);
        var existing = ExistingModels.From(seeds);

        var next = -1L;
        var exceptions = 0L;
        var tally = new Tally();
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        var output = TextWriter.Synchronized(Console.Out);
        var clock = Stopwatch.StartNew();
        using var finished = new CancellationTokenSource();
        var watchdog = new Thread(() => Watch(view, workers, clock, output, finished.Token)) { IsBackground = true };
        watchdog.Start();

        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            long index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                view.Write(w * 16L + 8, clock.ElapsedTicks);
                view.Write(w * 16L, index);
                var input = mutator.Make(seed, index);
                var mode = Mode(index);
                var (result, error) = Parse(mode, input, existing);
                view.Write(w * 16L, -1L); // parsed: what follows (minimising) is not the parser's time
                if (error is null)
                {
                    Count(tally, result!);
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

                var minimal = InputMinimizer.Minimize(input, candidate => Parse(mode, candidate, existing).Error is { } e && Signature(e) == signature, MinimizeBudget);
                var report = new
                {
                    index,
                    signature,
                    mode,
                    type = error.GetType().FullName,
                    message = error.Message,
                    stack = error.StackTrace?.Split('\n').Take(8).Select(l => l.Trim()).ToArray(),
                    minimal,
                };
                output.WriteLine($"exception {index.ToString(CultureInfo.InvariantCulture)} {JsonSerializer.Serialize(report, Readable)}");
            }

            view.Write(w * 16L, -1L);
        }, MaxStackSize)
        { IsBackground = true }).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        finished.Cancel();
        lock (tally)
        {
            output.WriteLine($"outcomes {JsonSerializer.Serialize(new { tally.Valid, tally.NotJson, tally.Refused, rules = tally.Rules.OrderBy(r => r.Key, StringComparer.Ordinal).ToDictionary() }, Readable)}");
        }

        output.WriteLine($"done {count.ToString(CultureInfo.InvariantCulture)} {clock.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} {exceptions.ToString(CultureInfo.InvariantCulture)}");
        output.Flush();
        return 0;
    }

    /// <summary>
    /// How input <paramref name="index"/> is parsed: strict or lenient (undefined references and extensions allowed), and
    /// on its own or against existing models (as POST /models parses against the stored ones).
    /// </summary>
    public static string Mode(long index) => ((index & 1) == 0 ? "strict" : "lenient") + ((index & 2) == 0 ? "" : "+existing");

    /// <summary><c>dtdl-fuzz-file &lt;file&gt; &lt;mode&gt;</c>: parses one document set (see <see cref="EncodeDocuments"/>) as <see cref="Mode"/> says; exit 0 unless it crashes.</summary>
    public static int RunFile(string file, string mode)
    {
        var texts = DecodeDocuments(File.ReadAllText(file));
        var existing = mode.EndsWith("+existing", StringComparison.Ordinal) ? ExistingModels.From(TestSeeds.Load()) : null;
        Exception? error = null;
        var thread = new Thread(() => error = Parse(mode, texts, existing).Error, MaxStackSize);
        thread.Start();
        thread.Join();
        Console.WriteLine(error is null ? "ok" : $"exception {error.GetType().FullName}: {error.Message}");
        return 0;
    }

    /// <summary>
    /// A document set as a JSON array of base64 UTF-16 texts: inputs may hold lone surrogates, which JSON strings
    /// cannot carry, and the replay must see exactly the characters the campaign parsed.
    /// </summary>
    public static string EncodeDocuments(IReadOnlyList<string> documents) =>
        JsonSerializer.Serialize(documents.Select(d => Convert.ToBase64String(MemoryMarshal.AsBytes(d.AsSpan()))));

    public static IReadOnlyList<string> DecodeDocuments(string json) =>
        JsonSerializer.Deserialize<string[]>(json)!.Select(b => new string(MemoryMarshal.Cast<byte, char>(Convert.FromBase64String(b)))).ToList();

    /// <summary>The parser's result, or the exception that escaped it.</summary>
    public static (ModelParseResult? Result, Exception? Error) Parse(string mode, IReadOnlyList<string> input, IModelResolver? existing)
    {
        var options = mode.StartsWith("lenient", StringComparison.Ordinal)
            ? new ModelParserOptions { AllowUndefinedReferences = true, AllowUnknownExtensions = true, RethrowUnexpected = true }
            : new ModelParserOptions { RethrowUnexpected = true };
        try
        {
            return (new ModelParser(options).Parse(input.Select((text, i) => new ModelDocument($"fuzz[{i}]", text)).ToList(),
                mode.EndsWith("+existing", StringComparison.Ordinal) ? existing : null), null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }

    /// <summary>How inputs fared, to show that they reach past JSON parsing: valid sets, broken JSON, and the rules other errors cite.</summary>
    private sealed class Tally
    {
        public long Valid;
        public long NotJson;
        public long Refused;
        public readonly Dictionary<string, long> Rules = new(StringComparer.Ordinal);
    }

    private static void Count(Tally tally, ModelParseResult result)
    {
        if (result.IsValid)
        {
            Interlocked.Increment(ref tally.Valid);
            return;
        }

        if (result.Errors.All(e => e.Rule == "json-syntax"))
        {
            Interlocked.Increment(ref tally.NotJson);
            return;
        }

        Interlocked.Increment(ref tally.Refused);
        var rule = result.Errors[0].Rule;
        lock (tally)
        {
            tally.Rules[rule] = tally.Rules.GetValueOrDefault(rule) + 1;
        }
    }

    /// <summary>Exception type and the frame that threw: one bug, however many inputs reach it.</summary>
    public static string Signature(Exception e)
    {
        var frame = new StackTrace(e).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("Doppel", StringComparison.Ordinal) == true)
            ?? new StackTrace(e).GetFrames().FirstOrDefault();
        var method = frame?.GetMethod();
        return $"{e.GetType().Name} at {method?.DeclaringType?.Name}.{method?.Name}";
    }

    private static void Watch(MemoryMappedViewAccessor view, int workers, Stopwatch clock, TextWriter output, CancellationToken finished)
    {
        var limit = (long)(HangLimit.TotalSeconds * Stopwatch.Frequency);
        while (!finished.WaitHandle.WaitOne(500))
        {
            for (var w = 0; w < workers; w++)
            {
                var index = view.ReadInt64(w * 16L);
                var started = view.ReadInt64(w * 16L + 8);
                if (index >= 0 && clock.ElapsedTicks - started > limit && view.ReadInt64(w * 16L) == index)
                {
                    output.WriteLine($"hang {index.ToString(CultureInfo.InvariantCulture)} {HangLimit.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}");
                    output.Flush();
                    Environment.Exit(3);
                }
            }
        }
    }

    /// <summary>The indexes the workers were parsing when the campaign process died.</summary>
    public static IReadOnlyList<long> InFlight(string slotsFile, int workers)
    {
        if (!File.Exists(slotsFile))
        {
            return [];
        }

        var bytes = File.ReadAllBytes(slotsFile);
        return Enumerable.Range(0, workers).Select(w => BitConverter.ToInt64(bytes, w * 16)).Where(i => i >= 0).ToList();
    }
}
