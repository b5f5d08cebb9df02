using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.Cli.Invocation;
using YamlDotNet.Core;

namespace Doppel.Cli.Input;

/// <summary>
/// Documents given on the command line: inline JSON, <c>@file</c>, or <c>-</c> for standard input; files by path or
/// <c>-</c>. A missing file or malformed JSON or YAML is a usage failure that says where (file:line:column) and why.
/// </summary>
internal static partial class DocumentText
{
    /// <summary>As the server reads JSON: a duplicate key is refused, since which value wins is undefined.</summary>
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>The JSON document <paramref name="value"/> gives inline, as @file, or as - (standard input).</summary>
    /// <param name="value">The argument as typed.</param>
    /// <param name="what">The argument's name in messages, e.g. "--properties" or "patch".</param>
    /// <param name="expected">The kind of document the command needs.</param>
    public static JsonNode ReadJson(string value, string what, JsonValueKind expected)
    {
        var (text, source) = value == "-" ? (ReadStandardInput(), "stdin")
            : value.StartsWith('@') ? (ReadFile(value[1..], what), value[1..])
            : (value, what);
        var parsed = ParseJson(text, source, inline: source == what);
        if (!parsed.IsSuccess)
        {
            throw CommandFailure.Usage(parsed.Error.Message);
        }
        if (parsed.Value.GetValueKind() != expected)
        {
            throw CommandFailure.Usage($"{what}: must be a JSON {(expected == JsonValueKind.Array ? "array" : "object")}, got {Describe(parsed.Value.GetValueKind())}{(what == source ? "" : $" in {source}")}.");
        }
        return parsed.Value;
    }

    /// <summary>Parses JSON text; a failure names <paramref name="source"/> with the line and column.</summary>
    public static Result<JsonNode> ParseJson(string text, string source, bool inline = false)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: Options) is { } node
                ? Result<JsonNode>.Ok(node)
                : Result<JsonNode>.Fail("InvalidArgument", $"{source}: JSON null is not a document.");
        }
        catch (JsonException e)
        {
            return Result<JsonNode>.Fail("InvalidArgument", JsonError(text, source, inline, e));
        }
    }

    /// <summary>Checks that text is well-formed YAML (JSON is YAML too); the failure names the line and column.</summary>
    public static DoppelError? CheckYaml(string text, string source)
    {
        try
        {
            // Bounded as the server reads it: deep nesting or alias bombs must not crash the CLI either.
            Doppel.Packs.BoundedYamlParser.Load(text);
            return null;
        }
        catch (YamlException e)
        {
            var reason = YamlPosition().Replace(e.Message, "").Trim().TrimEnd('.');
            if (reason.Length == 0 && e.InnerException is { } inner)
            {
                reason = YamlPosition().Replace(inner.Message, "").Trim().TrimEnd('.');
            }
            return new DoppelError("InvalidArgument", $"{source}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {Lower(reason)}.");
        }
    }

    /// <summary>
    /// A JSON or YAML file, or - for standard input, checked to be well-formed: JSON by its extension (.json) or, without
    /// a YAML extension (.yaml, .yml), when it starts with { or [; YAML otherwise. A syntax error is a usage failure with
    /// its line and column.
    /// </summary>
    public static InputDocument ReadJsonOrYaml(string path, string what)
    {
        var text = ReadFile(path, what);
        var source = path == "-" ? "stdin" : path;
        var extension = path == "-" ? "" : Path.GetExtension(path).ToLowerInvariant();
        var json = extension == ".json" || (extension is not (".yaml" or ".yml") && text.AsSpan().TrimStart() is ['{' or '[', ..]);
        if ((json ? ParseJson(text, source).Error : CheckYaml(text, source)) is { } syntax)
        {
            throw CommandFailure.Usage(syntax.Message);
        }
        return new InputDocument(source, text, json);
    }

    /// <summary>A file's text, or - for standard input; a missing file is a usage failure.</summary>
    public static string ReadFile(string path, string what)
    {
        if (path == "-")
        {
            return ReadStandardInput();
        }
        RequireFile(path, what);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandFailure.Usage($"{what}: cannot read {path}: {e.Message.TrimEnd('.')}.");
        }
    }

    /// <summary>Checks that <paramref name="path"/> names a file (for a command that hands the path on): a usage failure says what it names instead.</summary>
    public static void RequireFile(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw CommandFailure.Usage($"{what}: {path} is a folder, not a file.");
        }
        if (!File.Exists(path))
        {
            throw CommandFailure.Usage($"{what}: no such file: {path}");
        }
    }

    public static string ReadStandardInput()
    {
        if (!Console.IsInputRedirected)
        {
            throw CommandFailure.Usage("'-' reads standard input, but nothing is piped in; pipe a document in (cmd < file.json), or name a file.");
        }
        return Console.In.ReadToEnd();
    }

    private static string JsonError(string text, string source, bool inline, JsonException e)
    {
        var reason = JsonErrorText.Reason(e);
        if (e.LineNumber is not { } line)
        {
            return $"{source}: not valid JSON: {reason}.";
        }
        var column = Column(text, (int)line, e.BytePositionInLine ?? 0);
        return inline
            ? $"{source}: not valid JSON at line {line + 1}, column {column}: {reason}."
            : $"{source}:{line + 1}:{column}: not valid JSON: {reason}.";
    }

    /// <summary>The 1-based column, in characters, of a 0-based byte position in a 0-based line.</summary>
    private static long Column(string text, int line, long bytePosition)
    {
        var lines = text.Split('\n');
        if (line >= lines.Length)
        {
            return bytePosition + 1;
        }
        var bytes = Encoding.UTF8.GetBytes(lines[line]);
        return Encoding.UTF8.GetCharCount(bytes, 0, (int)Math.Min(bytePosition, bytes.Length)) + 1;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Lower(string text) => text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    [GeneratedRegex(@"\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):")]
    private static partial Regex YamlPosition();
}
