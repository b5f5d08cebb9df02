using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Doppel.IntegrationTests.Support;

/// <summary>
/// Output pinned in files under tests/Doppel.IntegrationTests/Snapshots/. What is truly variable is replaced first:
/// times within a day of now (stamped by the server as things happen; fixed historical times stay) and etags, their
/// digits by x so that table columns keep their widths; ports and the test's temporary folder by a name. A mismatch
/// fails with a line diff; DOPPEL_UPDATE_SNAPSHOTS=1 rewrites the files instead.
/// </summary>
internal static partial class Snapshot
{
    public const string UpdateVariable = "DOPPEL_UPDATE_SNAPSHOTS";

    public static string Folder { get; } = Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Snapshots");

    /// <summary>A CLI run as a snapshot: the command line, the exit code, and both outputs.</summary>
    public static string Of(string[] args, (int ExitCode, string StdOut, string StdErr) run) =>
        $"$ doppel {string.Join(' ', args.Select(Quote))}\nexit {run.ExitCode}\n--- stdout\n{run.StdOut.ReplaceLineEndings("\n").TrimEnd()}\n--- stderr\n{run.StdErr.ReplaceLineEndings("\n").TrimEnd()}\n";

    public static void Match(string name, string actual, params string[] temporaryFolders)
    {
        var normalized = Normalize(actual, temporaryFolders);
        var path = Path.Combine(Folder, name + ".txt");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(path, normalized);
            return;
        }
        if (!File.Exists(path))
        {
            Assert.Fail($"No snapshot {path}; run the test with {UpdateVariable}=1 to write it. The output was:\n{normalized}");
        }
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != normalized)
        {
            Assert.Fail($"The output differs from {path} (- expected, + actual); if the change is intended, run the test with {UpdateVariable}=1.\n{Diff(expected, normalized)}");
        }
    }

    public static string Normalize(string text, params string[] temporaryFolders)
    {
        foreach (var folder in temporaryFolders)
        {
            text = text.Replace(folder, "<tmp>", StringComparison.Ordinal);
        }
        var now = DateTimeOffset.UtcNow;
        text = Time().Replace(text, m =>
            DateTimeOffset.TryParse(m.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) && (t - now).Duration() < TimeSpan.FromDays(1) ? Digits().Replace(m.Value, "x") : m.Value);
        text = ETag().Replace(text, m => HexDigits().Replace(m.Value, "x"));
        return Port().Replace(text, "${host}:<port>");
    }

    /// <summary>A line diff (longest common subsequence) with two lines of context around each change.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var lines = new List<(char Mark, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x++]));
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                lines.Add(('+', b[y++]));
            }
            else
            {
                lines.Add(('-', a[x++]));
            }
        }
        var shown = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var near = Enumerable.Range(Math.Max(0, i - 2), Math.Min(lines.Count, i + 3) - Math.Max(0, i - 2)).Any(k => lines[k].Mark != ' ');
            if (near)
            {
                shown.Append(lines[i].Mark).Append(' ').Append(lines[i].Text).Append('\n');
            }
        }
        return shown.ToString();
    }

    private static string Quote(string argument) => argument.Contains(' ', StringComparison.Ordinal) || argument.Length == 0 ? $"\"{argument}\"" : argument;

    [GeneratedRegex(@"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")]
    private static partial Regex Time();

    [GeneratedRegex(@"(?<=W/\\?"")[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex ETag();

    [GeneratedRegex(@"\d")]
    private static partial Regex Digits();

    [GeneratedRegex(@"[0-9a-f]")]
    private static partial Regex HexDigits();

    [GeneratedRegex(@"(?<host>127\.0\.0\.1|localhost):\d{2,5}")]
    private static partial Regex Port();
}
