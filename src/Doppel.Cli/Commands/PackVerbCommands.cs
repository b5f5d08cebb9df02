using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;
using Doppel.Cli.Invocation;
using Doppel.Packs;

namespace Doppel.Cli.Commands;

/// <summary>
/// The verbs packs add, mapped onto the command line: arguments, options (texts, numbers checked here, flags,
/// documents read as every command reads them), a <c>--server</c> for verbs that use one, sub-verbs. A verb's failure
/// or usage error is told as every command's (<see cref="CommandRunner"/>). A verb whose name a built-in command has
/// is left out, and said so.
/// </summary>
internal static class PackVerbCommands
{
    public static IEnumerable<Command> Create(PackCatalog packs, IReadOnlyCollection<string> builtIn)
    {
        foreach (var (pack, verb) in packs.Verbs)
        {
            if (builtIn.Contains(verb.Name))
            {
                Console.Error.WriteLine($"doppel: pack '{pack.Name}' adds the verb '{verb.Name}', which is a built-in command; it is left out.");
                continue;
            }
            yield return Command(verb, pack);
        }
    }

    /// <summary>The packs' benchmarks, as sub-commands of <c>doppel bench</c>; one whose name a built-in benchmark has is left out, and said so.</summary>
    public static IEnumerable<Command> CreateBenchmarks(PackCatalog packs, IReadOnlyCollection<string> builtIn)
    {
        foreach (var (pack, benchmark) in packs.Benchmarks)
        {
            if (builtIn.Contains(benchmark.Name))
            {
                Console.Error.WriteLine($"doppel: pack '{pack.Name}' adds the benchmark '{benchmark.Name}', which is a built-in benchmark (doppel bench {benchmark.Name}); it is left out.");
                continue;
            }
            yield return Command(benchmark, pack);
        }
    }

    private static Command Command(PackVerb verb, Pack pack)
    {
        var command = new Command(verb.Name, $"{verb.Description} (pack {pack.Name})");
        var arguments = new Dictionary<string, Argument<string?>>(StringComparer.Ordinal);
        var texts = new Dictionary<string, Option<string?>>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, Option<double?>>(StringComparer.Ordinal);
        var flags = new Dictionary<string, Option<bool>>(StringComparer.Ordinal);
        // Read by name, arguments first: "file" for an argument, "config" for --config.
        var documents = new List<(string Name, Func<ParseResult, string?> Value, string What)>();
        foreach (var argument in verb.Arguments)
        {
            var symbol = new Argument<string?>(argument.Name) { Description = DescribeInput(argument.Description, argument.Value), Arity = argument.Required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne };
            if (argument.Value == VerbValue.Document)
            {
                documents.Add((argument.Name, parse => parse.GetValue(symbol), argument.Name));
                symbol.Reads(InputKind.JsonOrYamlFile);
            }
            arguments[argument.Name] = symbol;
            command.Arguments.Add(symbol);
        }
        foreach (var option in verb.Options)
        {
            var name = "--" + option.Name;
            switch (option.Value)
            {
                case VerbValue.Number:
                    var number = new Option<double?>(name) { Description = option.Description };
                    if (option.Default is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    {
                        number.DefaultValueFactory = _ => value;
                    }
                    numbers[option.Name] = number;
                    command.Options.Add(number);
                    break;
                case VerbValue.Flag:
                    flags[option.Name] = new Option<bool>(name) { Description = option.Description };
                    command.Options.Add(flags[option.Name]);
                    break;
                default:
                    var textOption = new Option<string?>(name) { Description = DescribeInput(option.Description, option.Value) };
                    if (option.Default is { } fallback)
                    {
                        textOption.DefaultValueFactory = _ => fallback;
                    }
                    if (option.Value == VerbValue.Document)
                    {
                        documents.Add((option.Name, parse => parse.GetValue(textOption), name));
                        textOption.Reads(InputKind.JsonOrYamlFile);
                    }
                    texts[option.Name] = textOption;
                    command.Options.Add(textOption);
                    break;
            }
        }
        var server = verb.UsesServer ? ClientOptions.Server() : null;
        if (server is not null)
        {
            command.Options.Add(server);
        }
        foreach (var sub in verb.Verbs)
        {
            command.Subcommands.Add(Command(sub, pack));
        }
        if (verb.Action is { } action)
        {
            command.SetAction(async (parse, ct) =>
            {
                // Documents are read before anything is sent, so that a missing or malformed one stops the verb at a usage error.
                var read = new Dictionary<string, VerbDocument?>(StringComparer.Ordinal);
                foreach (var (name, value, what) in documents)
                {
                    read.TryAdd(name, value(parse) is { } path ? ToVerb(DocumentText.ReadJsonOrYaml(path, what)) : null);
                }
                using var client = server is null ? null : new DoppelClient(parse.GetValue(server)!);
                var context = new Context(
                    arguments.ToDictionary(a => a.Key, a => parse.GetValue(a.Value), StringComparer.Ordinal),
                    texts.ToDictionary(t => t.Key, t => parse.GetValue(t.Value), StringComparer.Ordinal),
                    read,
                    numbers.ToDictionary(n => n.Key, n => parse.GetValue(n.Value), StringComparer.Ordinal),
                    flags.ToDictionary(f => f.Key, f => parse.GetValue(f.Value), StringComparer.Ordinal),
                    client);
                var result = await action(context, ct);
                return result.Outcome switch
                {
                    VerbOutcome.Succeeded => ExitCodes.Ok,
                    VerbOutcome.Usage => throw CommandFailure.Usage(result.Message ?? $"{verb.Name}: the values given cannot be used."),
                    _ => throw CommandFailure.Failed(result.Message ?? $"{verb.Name} failed."),
                };
            });
        }
        return command;
    }

    private static string DescribeInput(string description, VerbValue value) =>
        value == VerbValue.Document ? $"{description} A JSON or YAML file, or - for standard input." : description;

    private static VerbDocument ToVerb(InputDocument document) => new(document.Source, document.Text);

    /// <summary>A running verb's values and server, as the command line gave them.</summary>
    private sealed class Context(
        IReadOnlyDictionary<string, string?> arguments,
        IReadOnlyDictionary<string, string?> texts,
        IReadOnlyDictionary<string, VerbDocument?> documents,
        IReadOnlyDictionary<string, double?> numbers,
        IReadOnlyDictionary<string, bool> flags,
        DoppelClient? client) : VerbContext
    {
        public override TextWriter Out => Console.Out;

        public override TextWriter Error => Console.Error;

        public override Uri? Server => client?.Server;

        public override string? Argument(string name) => arguments.GetValueOrDefault(name);

        public override string? Text(string option) => texts.GetValueOrDefault(option);

        public override double? Number(string option) => numbers.GetValueOrDefault(option);

        public override bool Flag(string option) => flags.GetValueOrDefault(option);

        public override VerbDocument? Document(string name) => documents.GetValueOrDefault(name);

        public override Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json, CancellationToken ct) =>
            client is null
                ? throw new InvalidOperationException("This verb does not use a server (PackVerb.UsesServer).")
                : client.SendAsync(method, path.TrimStart('/'), json, ct: ct);
    }
}
