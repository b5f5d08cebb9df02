using System.CommandLine;
using Doppel.Server;
using Doppel.Storage;

namespace Doppel.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder for models, twins and the development certificate.", DefaultValueFactory = _ => "./doppel-data" };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, ASP.NET format, ';'-separated.", DefaultValueFactory = _ => DoppelServerOptions.DefaultUrls };
        var lenient = new Option<bool>("--lenient-models") { Description = "Accept models whose relationship targets or other references are undefined (as warnings)." };
        var synchronous = new Option<SynchronousMode>("--synchronous") { Description = "full: a 2xx survives power loss (fsync per group commit); normal: it survives a process crash only.", DefaultValueFactory = _ => SynchronousMode.Full };
        var command = new Command("serve", "Run the Doppel server (ADT-compatible REST API over HTTP and HTTPS) on an embedded data folder.") { data, urls, lenient, synchronous };
        command.SetAction(async (parse, ct) =>
        {
            var options = new DoppelServerOptions { DataDirectory = parse.GetValue(data)!, Urls = parse.GetValue(urls)!, LenientModels = parse.GetValue(lenient), Synchronous = parse.GetValue(synchronous) };
            DoppelServer server;
            try
            {
                server = await DoppelServer.StartAsync(options, ct: ct);
            }
            catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || e.InnerException is System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine($"doppel: cannot listen on {options.Urls}: {e.Message} Is another server running? Choose other ports with --urls.");
                return ExitCodes.Failed;
            }
            catch (ArgumentException e) when (e.ParamName == "options")
            {
                Console.Error.WriteLine($"doppel: {e.Message.Replace(" (Parameter 'options')", "", StringComparison.Ordinal)}");
                return ExitCodes.Usage;
            }
            catch (DataDirectoryInUseException e)
            {
                Console.Error.WriteLine($"doppel: {e.Message}");
                return ExitCodes.Failed;
            }
            await using (server)
            {
                Console.WriteLine($"Doppel is serving {Path.GetFullPath(options.DataDirectory)} ({server.Runtime.Models.Count} models, {server.Runtime.Graph.TwinCount} twins)");
                foreach (var address in server.Addresses)
                {
                    Console.WriteLine($"  listening on {address}");
                }
                if (server.HttpsAddress is not null)
                {
                    Console.WriteLine($"  development certificate: {server.CertificatePemPath} (trust it in clients, e.g. NODE_EXTRA_CA_CERTS)");
                }
                Console.WriteLine("  any bearer token is accepted (embedded default). Press Ctrl+C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
