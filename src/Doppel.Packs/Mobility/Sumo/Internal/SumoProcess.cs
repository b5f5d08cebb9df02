using System.ComponentModel;
using System.Diagnostics;

namespace Doppel.Packs.Mobility.Sumo.Internal;

/// <summary>Runs one of SUMO's programs to its end, with SUMO_HOME set, and gives back its exit code and output.</summary>
internal static class SumoProcess
{
    public static async Task<(int ExitCode, string Output, string Error, TimeSpan Wall)> RunAsync(string program, IEnumerable<string> arguments, string sumoHome, string folder, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["SUMO_HOME"] = sumoHome;
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (Win32Exception e)
        {
            return (-1, "", $"{program} cannot be run: {e.Message}", TimeSpan.Zero);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            try
            {
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It has exited already.
                }
                throw;
            }
            clock.Stop();
            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false), clock.Elapsed);
        }
    }

    /// <summary>The last lines of a program's complaint, enough to say what went wrong.</summary>
    public static string Tail(string text)
    {
        var lines = text.Trim().Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 5)));
    }

    /// <summary>A program by name on the PATH (or under SUMO_HOME/bin), or null.</summary>
    public static string? Which(string name, string sumoHome)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(sumoHome, "bin"));
        return folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>SUMO_HOME from the environment, else Debian's /usr/share/sumo.</summary>
    public static string Home() => Environment.GetEnvironmentVariable("SUMO_HOME") is { Length: > 0 } home ? home : "/usr/share/sumo";
}
