using Doppel.Cli.Commands;
using Doppel.Cli.Invocation;

// doppel: one command for every capability. CommandRunner decides how failures are told and with which exit codes (docs/cli.md).
return await CommandRunner.RunAsync(DoppelCommand.Create(), args);
