using System.Net.Sockets;
using Doppel.Cli.Invocation;
using Doppel.Server;
using Doppel.Storage;

namespace Doppel.Cli.Commands;

/// <summary>
/// Starts the embedded server for the commands that run one (serve, demo). What stops it from starting for a reason the
/// user can fix (a port in use, a data folder another server holds, options it cannot use) becomes one line that says
/// what to change; Ctrl+C during start-up ends it as any interrupted command ends.
/// </summary>
internal static class ServerStartup
{
    private const string KestrelBindFailure = "Failed to bind to address ";

    /// <param name="options">The server's options.</param>
    /// <param name="logging">Its logging (null: the console, held back until it has started, so a failure prints no framework trace).</param>
    /// <param name="mqttOptional">Whether the command has --no-mqtt to suggest when the broker's port is taken.</param>
    /// <param name="ct">Ctrl+C.</param>
    public static async Task<DoppelServer> StartAsync(DoppelServerOptions options, Action<ILoggingBuilder>? logging, bool mqttOptional, CancellationToken ct)
    {
        try
        {
            return await DoppelServer.StartAsync(options, logging, ct: ct);
        }
        catch (DataDirectoryInUseException e)
        {
            throw CommandFailure.Failed($"{e.Message.TrimEnd('.')}. Is another Doppel running on it? Stop it, or choose another folder with --data.");
        }
        catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || e.InnerException is SocketException)
        {
            // Kestrel says "Failed to bind to address URL: address already in use.": the URL that failed, and why.
            var reason = e.Message.StartsWith(KestrelBindFailure, StringComparison.Ordinal) ? e.Message[KestrelBindFailure.Length..].TrimEnd('.') : $"{options.Urls}: {e.Message.TrimEnd('.')}";
            throw CommandFailure.Failed($"cannot listen on {reason}. Is another server running? Choose other ports with --urls.");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw CommandFailure.Failed($"cannot start the MQTT broker on port {options.MqttPort}: {e.Message.TrimEnd('.')}. Is another broker running? Choose another with --mqtt-port{(mqttOptional ? ", or --no-mqtt" : "")}.");
        }
        catch (ArgumentException e) when (e.ParamName == "options")
        {
            throw CommandFailure.Usage(e.Message.Replace(" (Parameter 'options')", "", StringComparison.Ordinal));
        }
    }
}
