using System.Diagnostics;
using System.Text.Json.Nodes;
using Doppel.Cli;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>Commands the CLI prints are written as the user started it, so that they run as printed.</summary>
public sealed class CliInvocationTests
{
    [Fact]
    public void Started_through_the_dotnet_host_it_prints_dotnet_and_its_assembly()
    {
        Assert.Equal("dotnet /opt/doppel/Doppel.Cli.dll", CliInvocation.Prefix("/usr/share/dotnet/dotnet", "/opt/doppel/Doppel.Cli.dll", "/usr/bin"));
        Assert.Equal("dotnet \"/opt/my tools/Doppel.Cli.dll\"", CliInvocation.Prefix("/usr/bin/dotnet", "/opt/my tools/Doppel.Cli.dll", "/usr/bin"));
    }

    [Fact]
    public void Started_by_dotnet_run_it_prints_the_app_host_it_runs_and_as_a_tool_on_PATH_its_name()
    {
        var root = Repository.TempFolder();
        var bin = Path.Combine(root, "src", "Doppel.Cli", "bin", "Release", "net10.0");
        var tools = Path.Combine(root, "tools");
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(tools);
        File.WriteAllText(Path.Combine(bin, "Doppel.Cli"), "");
        File.WriteAllText(Path.Combine(tools, "doppel"), "");

        // dotnet run --project src/Doppel.Cli runs bin/.../Doppel.Cli, which is on no PATH: its full path.
        Assert.Equal(Path.Combine(bin, "Doppel.Cli"), CliInvocation.Prefix(Path.Combine(bin, "Doppel.Cli"), Path.Combine(bin, "Doppel.Cli.dll"), "/usr/bin"));
        // The .NET tool: `doppel` is on PATH and is this very program.
        Assert.Equal("doppel", CliInvocation.Prefix(Path.Combine(tools, "doppel"), "/store/Doppel.Cli.dll", $"/usr/bin{Path.PathSeparator}{tools}"));
        // A `doppel` on PATH that is another program is not this one.
        Assert.Equal(Path.Combine(root, "doppel"), CliInvocation.Prefix(Path.Combine(root, "doppel"), "/store/Doppel.Cli.dll", tools));
    }

    [Fact]
    public async Task Started_by_dotnet_run_from_the_repository_as_the_README_says_it_runs_where_the_user_is()
    {
        // The README's quick start runs `dotnet run --project src/Doppel.Cli -c Release -- ...` from the repository's root:
        // a relative path (./doppel-data, samples/factory/line.yaml) must mean what it means there, not in src/Doppel.Cli.
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["run", "--project", Path.Combine("src", "Doppel.Cli"), "-c", Configuration, "--no-build", "--",
            "simulate", "samples/factory/line.yaml", "--replications", "2", "--duration", "500", "--warmup", "50", "--json"])
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(6, JsonNode.Parse(await stdout)!["scenarios"]!.AsArray().Count);
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Theory]
    [InlineData("query", "query")]
    [InlineData("--server", "--server")]
    [InlineData("http://127.0.0.1:5080/", "http://127.0.0.1:5080/")]
    [InlineData("SELECT * FROM T WHERE IS_OF_MODEL('dtmi:a;1')", "\"SELECT * FROM T WHERE IS_OF_MODEL('dtmi:a;1')\"")]
    [InlineData("say \"hi\" $HOME", "'say \"hi\" $HOME'")]
    [InlineData("it's $5", "'it'\\''s $5'")]
    [InlineData("", "\"\"")]
    public void Arguments_are_quoted_for_the_shell_only_when_they_need_it(string argument, string quoted)
    {
        Assert.Equal(quoted, CliInvocation.Quote(argument));
    }
}
