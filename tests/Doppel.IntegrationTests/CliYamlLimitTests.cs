using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>The CLI checks a YAML document's syntax before sending it, within the same limits as the server's reader.</summary>
public sealed class CliYamlLimitTests
{
    [Theory]
    [InlineData("deep")]
    [InlineData("aliases")]
    public async Task Hostile_YAML_is_a_one_line_usage_error_not_a_crash(string kind)
    {
        var folder = Repository.TempFolder();
        var file = Path.Combine(folder, kind + ".yaml");
        var text = kind == "deep"
            ? new string('[', 20_000) + new string(']', 20_000)
            : "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Join("", Enumerable.Range(1, 9).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [*{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}]\n"));
        await File.WriteAllTextAsync(file, text);

        var run = await DoppelProcess.RunAsync("mappings", "put", "m", file, "--server", "http://127.0.0.1:9");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.StartsWith($"doppel: {file}:", line, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", line, StringComparison.Ordinal);
    }
}
