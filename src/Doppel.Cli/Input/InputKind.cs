using System.CommandLine;
using System.Runtime.CompilerServices;

namespace Doppel.Cli.Input;

/// <summary>What an argument or option reads: a JSON document (inline, @file or -), or files of some format.</summary>
internal enum InputKind
{
    /// <summary>A JSON object: inline, @file.json, or - for standard input.</summary>
    JsonObject,

    /// <summary>A JSON array: inline, @file.json, or - for standard input.</summary>
    JsonArray,

    /// <summary>JSON files or folders of them, or - for standard input.</summary>
    JsonFiles,

    /// <summary>A JSON or YAML file, or - for standard input.</summary>
    JsonOrYamlFile,

    /// <summary>A file of JSON lines (NDJSON), or - for standard input.</summary>
    NdjsonFile,

    /// <summary>A file the server reads by its path on this machine (so not standard input): an import job's NDJSON.</summary>
    ServerReadsFile,

    /// <summary>A folder of JSON files.</summary>
    JsonFolder,
}

/// <summary>Which arguments and options read documents, so that tests can feed every one of them bad input.</summary>
internal static class Inputs
{
    private static readonly ConditionalWeakTable<Symbol, object> Kinds = [];

    /// <summary>Marks <paramref name="symbol"/> as reading <paramref name="kind"/>; returns it.</summary>
    public static T Reads<T>(this T symbol, InputKind kind) where T : Symbol
    {
        Kinds.AddOrUpdate(symbol, kind);
        return symbol;
    }

    /// <summary>What <paramref name="symbol"/> reads, when it reads a document.</summary>
    public static InputKind? KindOf(Symbol symbol) => Kinds.TryGetValue(symbol, out var kind) ? (InputKind)kind : null;
}
