using System.Globalization;
using Doppel.Tests.Fuzzing;
using Doppel.Tests.Modeling.Fuzzing;
using Doppel.Tests.Storage;

namespace Doppel.Tests;

/// <summary>
/// The test assembly's own entry point (the test SDK's generated one is switched off) so tests can
/// re-launch this assembly as a child process: <c>dotnet Doppel.Tests.dll crash-writer &lt;folder&gt;</c>, and the
/// DTDL fuzz campaign, which must survive a parser crash: <c>dtdl-fuzz &lt;seed&gt; &lt;count&gt; &lt;workers&gt; &lt;slots-file&gt;</c>,
/// <c>dtdl-fuzz-file &lt;file&gt; &lt;mode&gt;</c>, and the other parsers' campaigns (<see cref="ParserFuzzChild"/>).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["crash-writer", var folder, ..]:
                return await CrashWriter.RunAsync(folder);
            case [DtdlFuzzCampaign.RunCommand, var seed, var count, var workers, var slots]:
                return DtdlFuzzCampaign.Run(ulong.Parse(seed, CultureInfo.InvariantCulture), long.Parse(count, CultureInfo.InvariantCulture), int.Parse(workers, CultureInfo.InvariantCulture), slots);
            case [DtdlFuzzCampaign.FileCommand, var file, var mode]:
                return DtdlFuzzCampaign.RunFile(file, mode);
            case [ParserFuzzChild.RunCommand, var target, var seed, var count, var workers, var slots]:
                return ParserFuzzChild.Run(target, ulong.Parse(seed, CultureInfo.InvariantCulture), long.Parse(count, CultureInfo.InvariantCulture), int.Parse(workers, CultureInfo.InvariantCulture), slots);
            case [ParserFuzzChild.OneCommand, var target, var seed, var index]:
                return ParserFuzzChild.RunOne(target, ulong.Parse(seed, CultureInfo.InvariantCulture), long.Parse(index, CultureInfo.InvariantCulture));
            default:
                await Console.Error.WriteLineAsync("Doppel.Tests is run by a test runner; its commands are 'crash-writer <folder>', 'dtdl-fuzz <seed> <count> <workers> <slots-file>', 'dtdl-fuzz-file <file> <mode>', 'parser-fuzz <target> <seed> <count> <workers> <slots-file>' and 'parser-fuzz-one <target> <seed> <index>'.");
                return 2;
        }
    }
}
