using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Doppel.Cli.Bench.Dtdl;

/// <summary>
/// The official DTDL parser (DTDLParser, compiled to WebAssembly in the npm package @digicatapult/dtdl-parser) run by
/// Node.js as tests/compat/dtdl-peer.mjs: one long-lived process that answers one verdict per document set, so its
/// start-up is paid once. Requests are pipelined: answers come back in the order the sets were sent.
/// </summary>
internal sealed class DtdlPeer : IAsyncDisposable
{
    public const string Script = "dtdl-peer.mjs";
    public const string Package = "@digicatapult/dtdl-parser";

    /// <summary>How to get the peer when it is missing, said the same way by the bench and the tests.</summary>
    public const string InstallHint = "run ./eng/test.sh (it installs Node.js and tests/compat's npm packages), or apt-get install nodejs npm and then npm ci in tests/compat";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private DtdlPeer(Process process, StringBuilder stderr, string parserVersion) => (_process, _stderr, ParserVersion) = (process, stderr, parserVersion);

    /// <summary>The parser's assembly name and version as it reports it, e.g. "DTDLParser, Version=1.1.3.62099, …".</summary>
    public string ParserVersion { get; }

    /// <summary>Starts <c>node dtdl-peer.mjs</c> in <paramref name="compatFolder"/> and waits until the parser is loaded.</summary>
    public static async Task<Result<DtdlPeer>> StartAsync(string compatFolder, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(compatFolder, Script)))
        {
            return Result<DtdlPeer>.Fail("PeerMissing", $"{Path.Combine(compatFolder, Script)} not found: the peer script lives in the repository's tests/compat folder");
        }

        if (!Directory.Exists(Path.Combine(compatFolder, "node_modules", "@digicatapult", "dtdl-parser")))
        {
            return Result<DtdlPeer>.Fail("PeerMissing", $"the npm package {Package} is not installed in {compatFolder}: {InstallHint}");
        }

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = compatFolder,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Script);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception("node did not start");
        }
        catch (Win32Exception)
        {
            return Result<DtdlPeer>.Fail("PeerMissing", $"Node.js (node) was not found on PATH: {InstallHint}");
        }

        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartTimeout);
        string? first;
        try
        {
            first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            first = null;
        }

        if (first is null || !first.StartsWith("{\"ready\":true", StringComparison.Ordinal))
        {
            Stop(process);
            string log;
            lock (stderr)
            {
                log = stderr.ToString().Trim();
            }

            return Result<DtdlPeer>.Fail("PeerFailed", $"the official parser did not start under Node.js ({Clip(log)}): {InstallHint}");
        }

        using var ready = JsonDocument.Parse(first);
        return Result<DtdlPeer>.Ok(new DtdlPeer(process, stderr, ready.RootElement.GetProperty("parser").GetString() ?? "?"));
    }

    /// <summary>The official parser's verdict on one document set (each document's exact text).</summary>
    public async Task<PeerVerdict> ParseAsync(IReadOnlyList<string> documents, CancellationToken ct = default) =>
        (await ParseManyAsync([documents], ct))[0];

    /// <summary>Verdicts for many document sets, in order; the requests are written while the answers are read.</summary>
    public async Task<IReadOnlyList<PeerVerdict>> ParseManyAsync(IReadOnlyList<IReadOnlyList<string>> sets, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var writer = Task.Run(async () =>
            {
                var line = new StringBuilder();
                for (var i = 0; i < sets.Count; i++)
                {
                    line.Clear();
                    Request(line, i, sets[i]);
                    await _process.StandardInput.WriteLineAsync(line, ct);
                }

                await _process.StandardInput.FlushAsync(ct);
            }, ct);

            var verdicts = new PeerVerdict[sets.Count];
            for (var i = 0; i < sets.Count; i++)
            {
                var answer = await _process.StandardOutput.ReadLineAsync(ct)
                    ?? throw new InvalidOperationException($"the official parser's process ended while parsing ({Clip(StandardError)})");
                verdicts[i] = Read(answer, i);
            }

            await writer;
            return verdicts;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            Stop(_process);
        }

        _process.Dispose();
        _gate.Dispose();
    }

    private string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString().Trim();
            }
        }
    }

    /// <summary>
    /// One request line. Every character outside printable ASCII is written as a \uXXXX escape of its UTF-16 code unit,
    /// so the script receives exactly the text parsed here, lone surrogates included (a JSON writer would replace them).
    /// </summary>
    private static void Request(StringBuilder line, int id, IReadOnlyList<string> documents)
    {
        line.Append("{\"id\":").Append(id.ToString(CultureInfo.InvariantCulture)).Append(",\"documents\":[");
        for (var d = 0; d < documents.Count; d++)
        {
            line.Append(d == 0 ? "\"" : ",\"");
            foreach (var c in documents[d])
            {
                if (c is < ' ' or > '~' or '"' or '\\')
                {
                    line.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    line.Append(c);
                }
            }

            line.Append('"');
        }

        line.Append("]}");
    }

    private static PeerVerdict Read(string answer, int id)
    {
        using var json = JsonDocument.Parse(answer);
        var root = json.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"the peer script refused request {id}: {error.GetString()}");
        }

        if (root.GetProperty("id").GetInt32() != id)
        {
            throw new InvalidOperationException($"the peer answered request {root.GetProperty("id")} where {id} was expected");
        }

        var errors = root.GetProperty("errors").EnumerateArray().Select(e => new PeerError(
            Text(e, "cause") ?? "",
            Text(e, "validationId"),
            Text(e, "primaryId"),
            Text(e, "property"),
            Text(e, "value"))).ToList();
        return new PeerVerdict(root.GetProperty("valid").GetBoolean(), Text(root, "kind"), errors);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Null ? null : v.GetRawText() : null;

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string Clip(string text) => text.Length == 0 ? "no output" : text.Length <= 400 ? text : text[..400] + "…";
}
