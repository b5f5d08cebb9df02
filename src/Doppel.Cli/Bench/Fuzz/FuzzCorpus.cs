using System.Text.RegularExpressions;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// Real inputs to start fuzzing from, read from the Doppel source tree when it is at hand (the tests' literals, the
/// documentation's examples, the samples); each target adds its own built-in seeds, so it runs anywhere.
/// </summary>
internal static partial class FuzzCorpus
{
    /// <summary>The folder holding Doppel.slnx, from the current folder up, then from the program's; null when neither is inside a clone.</summary>
    public static string? FindRepository()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>The string literals of the C# files under <paramref name="folder"/> (of the repository) that <paramref name="keep"/> accepts.</summary>
    public static IEnumerable<string> Literals(string? repository, string folder, Func<string, bool> keep)
    {
        var path = repository is null ? null : Path.Combine(repository, folder);
        if (path is null || !Directory.Exists(path))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (Match m in StringLiteral().Matches(File.ReadAllText(file)))
            {
                string text;
                try
                {
                    text = Regex.Unescape(m.Groups[1].Value);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                if (keep(text))
                {
                    yield return text;
                }
            }
        }
    }

    /// <summary>The inline code spans and fenced blocks of a Markdown file of the repository that <paramref name="keep"/> accepts.</summary>
    public static IEnumerable<string> MarkdownCode(string? repository, string file, Func<string, bool> keep)
    {
        var path = repository is null ? null : Path.Combine(repository, file);
        if (path is null || !File.Exists(path))
        {
            return [];
        }

        var text = File.ReadAllText(path);
        return FencedBlock().Matches(text).Select(m => m.Groups[1].Value)
            .Concat(InlineCode().Matches(FencedBlock().Replace(text, "")).Select(m => m.Groups[1].Value))
            .Where(keep);
    }

    /// <summary>The files under a folder of the repository with one of the extensions, as texts.</summary>
    public static IEnumerable<string> Files(string? repository, string folder, params string[] extensions)
    {
        var path = repository is null ? null : Path.Combine(repository, folder);
        if (path is null || !Directory.Exists(path))
        {
            return [];
        }

        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).Select(File.ReadAllText);
    }

    /// <summary>Built-in seeds first, then the repository's, without duplicates.</summary>
    public static IReadOnlyList<string> Merge(IEnumerable<string> builtIn, IEnumerable<string> found) =>
        [.. builtIn.Concat(found).Where(s => s.Length is > 0 and < 20_000).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"(?<![@$])""((?:[^""\\\r\n]|\\.)*)""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"```[a-z]*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex InlineCode();
}
