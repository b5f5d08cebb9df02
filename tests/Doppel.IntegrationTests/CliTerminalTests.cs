using System.Diagnostics;
using System.Text.RegularExpressions;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>`doppel` in a real terminal (a pseudo-terminal from script(1)), as a person sees it: tables fit the window unless --wide.</summary>
public sealed partial class CliTerminalTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Note = "replaced the seal after it wept oil for a week; check again at the next stop";

    [Fact]
    public async Task A_table_fits_a_narrow_terminal_with_ellipses_and_wide_shows_every_cell_whole()
    {
        await server.PutModelsAsync("""
            [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:cli:term:Pump;1","@type":"Interface","contents":[{"@type":"Property","name":"note","schema":"string"}]}]
            """);
        await server.SendOkAsync(HttpMethod.Put, "/digitaltwins/term-1", $$"""{"$metadata":{"$model":"dtmi:cli:term:Pump;1"},"note":"{{Note}}"}""");
        const string Query = "SELECT T.$dtId, T.note FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:cli:term:Pump;1')";

        var narrow = await InTerminalAsync(50, "query", Query);
        var wide = await InTerminalAsync(50, "query", Query, "--wide");

        var rows = narrow.Where(l => l.StartsWith("term-1", StringComparison.Ordinal)).ToList();
        Assert.True(rows.Count == 1, string.Join('\n', narrow));
        Assert.EndsWith("…", rows[0], StringComparison.Ordinal);
        Assert.True(rows[0].Length < 50, rows[0]);
        Assert.Contains("(1 row)", narrow);
        Assert.Contains(wide, l => l.StartsWith("term-1", StringComparison.Ordinal) && l.EndsWith(Note, StringComparison.Ordinal));
    }

    /// <summary>The lines a terminal of <paramref name="columns"/> columns shows, without escape sequences.</summary>
    private async Task<List<string>> InTerminalAsync(int columns, params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", DoppelProcess.CliPath }.Concat(args).Concat(["--server", server.Server.HttpAddress!.ToString()]).Select(ShellQuote));
        var info = new ProcessStartInfo("script", ["-qec", $"stty cols {columns} rows 40; {command}", "/dev/null"]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.Environment.Remove("NO_COLOR");
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        return [.. Escape().Replace(output, "").Split('\n').Select(l => l.TrimEnd('\r', ' ')).Where(l => l.Length > 0)];
    }

    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex Escape();
}
