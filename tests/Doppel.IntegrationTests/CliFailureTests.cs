using System.Collections.Concurrent;
using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Doppel.Cli.Commands;
using Doppel.Cli.Input;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// Every command of the tree, found by walking it from the root (so a new command is covered without touching this
/// file), run as a user runs it with what goes wrong most: no server at the address, a malformed address, and for every
/// argument that reads a document, a missing file, malformed JSON, malformed YAML and malformed standard input. Each
/// must end with one line on standard error, an exit code from docs/cli.md, and no stack trace or exception type.
/// </summary>
public sealed partial class CliFailureTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>Arguments a command needs before it contacts its server at all (without them it stops at a usage error first).</summary>
    private static readonly Dictionary<string, string[]> ToReachTheServer = new()
    {
        ["simulate"] = ["--twin", "line-1"],
        ["devices simulate"] = ["--query", "SELECT * FROM DIGITALTWINS"],
        ["endpoints put"] = ["--webhook", "http://127.0.0.1:9/hook"],
        ["predict train"] = ["x", "--history-model", "dtmi:cli:Walk;1"],
        ["predict evaluate"] = ["x", "--history-model", "dtmi:cli:Walk;1"],
        // The generic document has no policy id; the command needs one before it has anything to send.
    };

    /// <summary>Linters: their findings, a malformed document among them, are their output (stdout, exit 1), not an error.</summary>
    private static readonly HashSet<string> ReportsFindingsOnStdout = ["models validate"];

    private const string MalformedJson = """{"twinId": "a", "values": [1, 2""";

    private const string MalformedYaml = "topic: [doppel/twins/a";

    private readonly string _folder = Repository.TempFolder();

    [Fact]
    public void The_walk_finds_every_command_and_every_document_argument()
    {
        var leaves = Leaves(DoppelCommand.Create()).Select(l => l.Path).ToList();
        Assert.True(leaves.Count >= 45, string.Join(", ", leaves));
        Assert.Contains("twins patch", leaves);
        Assert.Contains("history backfill", leaves);
        var inputs = Leaves(DoppelCommand.Create()).SelectMany(l => Inputs(l.Command).Select(i => $"{l.Path} {i.Symbol.Name}")).ToList();
        Assert.Contains("twins patch patch", inputs);
        Assert.Contains("twins create --properties", inputs);
        Assert.Contains("mappings put file", inputs);
        Assert.Contains("models import files", inputs);
        Assert.Contains("import file", inputs);
        Assert.Contains("simulate scenario", inputs);
        Assert.Contains("optimize scenario", inputs);
        // A pack's verb that reads a document is walked as any command (the greenhouse pack, found beside the tests).
        Assert.Contains("greenhouse-settings settings", inputs);
    }

    [Fact]
    public async Task Every_client_command_says_in_one_line_that_no_server_answers_and_exits_3()
    {
        var port = ClosedPort();
        var url = $"http://127.0.0.1:{port}";
        var cases = ClientCommands().Select(c => new Case(c.Path, [.. MinimalArguments(c.Command), .. Extra(c.Path), "--server", url])).ToList();
        await AssertAllAsync(cases, run =>
            run.ExitCode != 3 ? $"exit {run.ExitCode}, expected 3"
            : !run.StdErr.Contains($"127.0.0.1:{port}", StringComparison.Ordinal) ? "the error does not name the address used"
            : !run.StdErr.Contains("doppel serve", StringComparison.Ordinal) ? "the error does not say how to start a server"
            : null);
    }

    [Theory]
    [InlineData("notaurl")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("http://")]
    public async Task Every_client_command_refuses_a_malformed_server_address_in_one_line_with_exit_2(string address)
    {
        var cases = ClientCommands().Select(c => new Case(c.Path, [.. MinimalArguments(c.Command), .. Extra(c.Path), "--server", address])).ToList();
        await AssertAllAsync(cases, run =>
            run.ExitCode != 2 ? $"exit {run.ExitCode}, expected 2"
            : !run.StdErr.Contains($"'{address}'", StringComparison.Ordinal) ? "the error does not quote the address"
            : null);
    }

    [Fact]
    public async Task A_malformed_server_address_from_DOPPEL_SERVER_is_named_as_such()
    {
        var info = DoppelProcess.StartInfo(["twins", "get", "pump-1"]);
        info.Environment["DOPPEL_SERVER"] = "localhost:5080";
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Equal("doppel: $DOPPEL_SERVER 'localhost:5080' is not a server address; give an http:// or https:// URL such as http://127.0.0.1:5080. See 'doppel twins get --help'.", stderr.Trim());
    }

    [Fact]
    public async Task Every_document_argument_reports_a_missing_file_in_one_line_with_exit_2()
    {
        var cases = InputCases((kind, _) => kind switch
        {
            InputKind.JsonObject or InputKind.JsonArray => "@" + Path.Combine(_folder, "missing.json"),
            InputKind.JsonFolder => Path.Combine(_folder, "missing-folder"),
            _ => Path.Combine(_folder, "missing.json"),
        });
        await AssertAllAsync(cases, run =>
            run.ExitCode != 2 ? $"exit {run.ExitCode}, expected 2"
            : !run.StdErr.Contains("missing", StringComparison.Ordinal) ? "the error does not name the file"
            : null);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public async Task Every_document_argument_reports_a_malformed_document_in_one_line(string format)
    {
        var content = format == "json" ? MalformedJson : MalformedYaml;
        var file = Path.Combine(_folder, $"malformed.{format}");
        File.WriteAllText(file, content + "\n");
        var folder = Path.Combine(_folder, $"malformed-{format}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "model.json"), content + "\n");
        var cases = InputCases((kind, _) => kind switch
        {
            InputKind.JsonObject or InputKind.JsonArray => "@" + file,
            InputKind.JsonFolder => folder,
            _ => file,
        });
        await AssertAllAsync(cases, MalformedReported);
    }

    [Fact]
    public async Task Every_document_argument_that_reads_standard_input_reports_a_malformed_one_in_one_line()
    {
        var cases = InputCases((kind, _) => kind is InputKind.JsonObject or InputKind.JsonArray or InputKind.JsonFiles or InputKind.JsonOrYamlFile or InputKind.NdjsonFile ? "-" : null)
            .Select(c => c with { Stdin = MalformedJson })
            .ToList();
        Assert.NotEmpty(cases);
        await AssertAllAsync(cases, MalformedReported);
    }

    [Fact]
    public async Task Inline_malformed_JSON_is_reported_with_its_line_and_column()
    {
        var run = await DoppelProcess.RunAsync("twins", "patch", "pump-1", """[{"op": "add" "path": "/a"}]""", "--server", server.Server.HttpAddress!.ToString());
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("doppel: patch: not valid JSON at line 1, column 15: '\"' is invalid after a value. Expected either ',', '}', or ']'.", run.StdErr.Trim());
    }

    /// <summary>Malformed input: exit 1 or 2 (2 when found before anything is sent), and the one line says where.</summary>
    private static string? MalformedReported(Case c, Run run) =>
        run.ExitCode is not (1 or 2) ? $"exit {run.ExitCode}, expected 1 or 2"
        : ReportsFindingsOnStdout.Contains(c.Path) ? null
        : !LineAndColumn().IsMatch(run.StdErr) && !run.StdErr.Contains(":1:", StringComparison.Ordinal) && !run.StdErr.Contains("Line 1", StringComparison.Ordinal) ? "the error does not say where (line and column)"
        : null;

    private Task AssertAllAsync(List<Case> cases, Func<Run, string?> check) => AssertAllAsync(cases, (_, run) => check(run));

    /// <summary>Runs every case (four at a time) and fails once, listing every command that broke a rule.</summary>
    private static async Task AssertAllAsync(List<Case> cases, Func<Case, Run, string?> check)
    {
        Assert.NotEmpty(cases);
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, _) =>
        {
            var (exit, stdout, stderr) = await DoppelProcess.RunWithInputAsync(c.Stdin, c.Arguments);
            var run = new Run(exit, stdout, stderr);
            var problem = OneLineError(c, run) ?? check(c, run);
            if (problem is not null)
            {
                problems.Add($"doppel {string.Join(' ', c.Arguments.Select(Quote))}{(c.Stdin is null ? "" : " < malformed")}: {problem}\n    stdout: {stdout.Trim()}\n    stderr: {stderr.Trim()}");
            }
        });
        Assert.True(problems.IsEmpty, $"{problems.Count} of {cases.Count} runs broke a rule:\n" + string.Join("\n", problems.Order(StringComparer.Ordinal)));
    }

    /// <summary>The rules every failure follows: one line on stderr (none for a linter's findings), no trace, no type names.</summary>
    private static string? OneLineError(Case c, Run run)
    {
        var all = run.StdOut + run.StdErr;
        if (StackFrame().IsMatch(all))
        {
            return "a stack trace";
        }
        if (ExceptionType().Match(all) is { Success: true } type)
        {
            return $"an exception type ({type.Value})";
        }
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 && ReportsFindingsOnStdout.Contains(c.Path) && run.ExitCode == 1 && run.StdOut.Contains("error", StringComparison.Ordinal))
        {
            return null;
        }
        return lines.Length != 1 ? $"{lines.Length} lines on stderr, expected one" : !lines[0].StartsWith("doppel: ", StringComparison.Ordinal) ? "the line does not start with 'doppel: '" : null;
    }

    /// <summary>Cases that give one document argument of one command a bad value (the other arguments valid, the real server).</summary>
    private List<Case> InputCases(Func<InputKind?, Symbol, string?> bad)
    {
        var cases = new List<Case>();
        foreach (var (path, command) in Leaves(DoppelCommand.Create()))
        {
            foreach (var (symbol, kind) in Inputs(command))
            {
                if (bad(kind, symbol) is not { } value)
                {
                    continue;
                }
                var arguments = MinimalArguments(command, symbol, value);
                if (command.Options.Any(o => o.Name == "--server"))
                {
                    arguments.AddRange(["--server", server.Server.HttpAddress!.ToString()]);
                }
                cases.Add(new Case(path, [.. arguments]));
            }
        }
        return cases;
    }

    /// <summary>The leaf commands (those that run), with their path from the root: "twins patch".</summary>
    internal static IEnumerable<(string Path, Command Command)> Leaves(Command command, string prefix = "")
    {
        foreach (var sub in command.Subcommands)
        {
            var path = (prefix + " " + sub.Name).Trim();
            if (sub.Subcommands.Count == 0)
            {
                yield return (path, sub);
            }
            else
            {
                foreach (var leaf in Leaves(sub, path))
                {
                    yield return leaf;
                }
            }
        }
    }

    private static IEnumerable<(string Path, Command Command)> ClientCommands() =>
        Leaves(DoppelCommand.Create()).Where(l => l.Command.Options.Any(o => o.Name == "--server"));

    /// <summary>The arguments and options of a command that read documents, and what they read (a FileInfo is a file of unknown format).</summary>
    private static IEnumerable<(Symbol Symbol, InputKind? Kind)> Inputs(Command command)
    {
        foreach (var symbol in command.Arguments.Cast<Symbol>().Concat(command.Options))
        {
            var type = symbol is Argument a ? a.ValueType : ((Option)symbol).ValueType;
            if (Doppel.Cli.Input.Inputs.KindOf(symbol) is { } kind)
            {
                yield return (symbol, kind);
            }
            else if (type == typeof(FileInfo) && symbol is Argument)
            {
                yield return (symbol, null); // a file of a format the command knows; standard input is not promised
            }
        }
    }

    /// <summary>Values for the required arguments and options that let the command run; <paramref name="replaced"/> gets <paramref name="value"/> instead.</summary>
    private List<string> MinimalArguments(Command command, Symbol? replaced = null, string? value = null)
    {
        var arguments = new List<string>();
        foreach (var argument in command.Arguments)
        {
            if (argument == replaced)
            {
                arguments.Add(value!);
            }
            else if (argument.Arity.MinimumNumberOfValues > 0)
            {
                arguments.Add(ValidValue(argument, argument.ValueType));
            }
        }
        foreach (var option in command.Options)
        {
            if (option == replaced)
            {
                arguments.AddRange([option.Name, value!]);
            }
            else if (option.Required)
            {
                arguments.AddRange([option.Name, ValidValue(option, option.ValueType)]);
            }
        }
        return arguments;
    }

    private string ValidValue(Symbol symbol, Type type)
    {
        if (Doppel.Cli.Input.Inputs.KindOf(symbol) is { } kind)
        {
            return kind switch
            {
                InputKind.JsonObject => "{}",
                InputKind.JsonArray => "[]",
                InputKind.JsonFolder => Folder(),
                _ => WriteFile("valid.json", """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:cli:Walk;1","@type":"Interface"}"""),
            };
        }
        return type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?) ? "now"
            : type == typeof(FileInfo) ? WriteFile("valid.yaml", "{}")
            : type == typeof(int) || type == typeof(int?) || type == typeof(double) || type == typeof(long) ? "1"
            : symbol.Name == "--out" ? Path.Combine(_folder, "out.ndjson")
            : "x";
    }

    private string Folder()
    {
        var folder = Path.Combine(_folder, "models");
        Directory.CreateDirectory(folder);
        WriteFile(Path.Combine("models", "valid.json"), """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:cli:Walk;1","@type":"Interface"}""");
        return folder;
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content + "\n");
        return path;
    }

    private static string[] Extra(string path) => ToReachTheServer.GetValueOrDefault(path, []);

    /// <summary>A loopback port nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Quote(string argument) => argument.Contains(' ', StringComparison.Ordinal) || argument.Length == 0 ? $"'{argument}'" : argument;

    /// <summary>One run: the command's path and what follows it.</summary>
    private sealed record Case(string Path, string[] Rest, string? Stdin = null)
    {
        public string[] Arguments => [.. Path.Split(' '), .. Rest];
    }

    private sealed record Run(int ExitCode, string StdOut, string StdErr);

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"\b(System\.[A-Z]\w*\.|\w+Exception\b)")]
    private static partial Regex ExceptionType();

    [GeneratedRegex(@":\d+:\d+: |line \d+, column \d+|column \d+")]
    private static partial Regex LineAndColumn();
}
