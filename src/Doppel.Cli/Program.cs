using Doppel.Cli.Commands;
using Doppel.Cli.Invocation;
using Doppel.Packs;

// doppel: one command for every capability, and the verbs the packs found beside it add. CommandRunner decides how
// failures are told and with which exit codes (docs/cli.md).
var packs = PackCatalog.Discovered;
foreach (var problem in packs.Problems)
{
    Console.Error.WriteLine($"doppel: {problem}");
}
return await CommandRunner.RunAsync(DoppelCommand.Create(packs), args);
