using System.Reflection;
using System.Text;

namespace Doppel.Cli;

/// <summary>
/// How the user started this program, so that commands it prints (the demo's banner) run as printed: <c>doppel</c> when
/// that name on PATH is this program (the .NET tool), <c>dotnet /path/Doppel.Cli.dll</c> when started through the dotnet
/// host, else the executable's full path (<c>dotnet run</c> runs <c>bin/.../Doppel.Cli</c>, which is on no PATH, so
/// only its full path runs in the user's shell).
/// </summary>
internal static class CliInvocation
{
    /// <summary>The command prefix for this process.</summary>
    public static string Prefix() => Prefix(Environment.ProcessPath, Assembly.GetEntryAssembly()?.Location, Environment.GetEnvironmentVariable("PATH"));

    /// <param name="processPath">The running executable (the dotnet host, the tool's shim, or the app host).</param>
    /// <param name="entryAssembly">The CLI's assembly.</param>
    /// <param name="path">The PATH variable.</param>
    internal static string Prefix(string? processPath, string? entryAssembly, string? path)
    {
        if (processPath is null)
        {
            return "doppel";
        }
        var executable = Path.GetFileNameWithoutExtension(processPath);
        if (executable.Equals("dotnet", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(entryAssembly))
        {
            return $"dotnet {Quote(Path.GetFullPath(entryAssembly))}";
        }
        var name = Path.GetFileName(processPath);
        var found = (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        if (found is not null && SameFile(found, processPath))
        {
            return Quote(executable);
        }
        return Quote(Path.GetFullPath(processPath));
    }

    /// <summary>An argument quoted for the shell when it needs it: double quotes unless it holds what they do not protect, then single quotes.</summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c, StringComparison.Ordinal)))
        {
            return argument;
        }
        if (OperatingSystem.IsWindows())
        {
            return "\"" + argument.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }
        if (!argument.Any(c => c is '"' or '$' or '`' or '\\' or '!'))
        {
            return "\"" + argument + "\"";
        }
        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A command line: the prefix and the arguments, each quoted as needed.</summary>
    public static string Command(string prefix, IEnumerable<string> arguments)
    {
        var line = new StringBuilder(prefix);
        foreach (var argument in arguments)
        {
            line.Append(' ').Append(Quote(argument));
        }
        return line.ToString();
    }

    private static bool SameFile(string a, string b)
    {
        try
        {
            return string.Equals(Path.GetFullPath(Resolve(a)), Path.GetFullPath(Resolve(b)), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }

        static string Resolve(string file) => new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file;
    }
}
