using System.Net.Sockets;

namespace Doppel.Cli.Invocation;

/// <summary>The one-line messages for failures every client command shares.</summary>
internal static class Failures
{
    private const string ServerHint = "Is it running? Start one with 'doppel serve', or point --server (or $DOPPEL_SERVER) at it.";

    /// <summary>No server answered at <paramref name="server"/>: what happened, and what to try.</summary>
    public static CommandFailure Unreachable(string? server, Exception e)
    {
        var where = server is null ? "the Doppel server" : $"a Doppel server at {server}";
        return new CommandFailure(ExitCodes.Unreachable, $"cannot reach {where} ({Reason(e)}). {ServerHint}");
    }

    /// <summary>The client gave up waiting for an answer.</summary>
    public static CommandFailure TimedOut(string? server, TimeSpan timeout) =>
        new(ExitCodes.Unreachable, $"the Doppel server{(server is null ? "" : $" at {server}")} did not answer within {timeout.TotalSeconds:0} s. Is it overloaded, or is that the address of another service?");

    /// <summary>The server address is not one a client can use.</summary>
    public static CommandFailure BadServerAddress(string value, bool fromEnvironment) =>
        CommandFailure.Usage($"{(fromEnvironment ? "$DOPPEL_SERVER" : "--server")} '{value}' is not a server address; give an http:// or https:// URL such as http://127.0.0.1:5080.");

    /// <summary>A short, lower-case reason for a failed HTTP exchange, without the exception's type or trace.</summary>
    public static string Reason(Exception e)
    {
        if (e is HttpRequestException http)
        {
            switch (http.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return "no such host";
                case HttpRequestError.SecureConnectionError:
                    return "the TLS handshake failed: " + Innermost(e).Message.TrimEnd('.');
                case HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse:
                    return "something answered, but not as an HTTP server";
            }
        }
        if (Innermost(e) is SocketException socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.TimedOut => "connection timed out",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
                SocketError.HostNotFound or SocketError.NoData => "no such host",
                _ => socket.Message.TrimEnd('.'),
            };
        }
        return Innermost(e).Message.TrimEnd('.');
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }
        return e;
    }
}
