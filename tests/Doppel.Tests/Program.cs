using Doppel.Tests.Storage;

namespace Doppel.Tests;

/// <summary>
/// The test assembly's own entry point (the test SDK's generated one is switched off) so tests can
/// re-launch this assembly as a child process: <c>dotnet Doppel.Tests.dll crash-writer &lt;folder&gt;</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["crash-writer", var folder, ..])
        {
            return await CrashWriter.RunAsync(folder);
        }

        await Console.Error.WriteLineAsync("Doppel.Tests is run by a test runner; the only command is 'crash-writer <folder>'.");
        return 2;
    }
}
