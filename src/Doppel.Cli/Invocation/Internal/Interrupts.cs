using System.Runtime.InteropServices;

namespace Doppel.Cli.Invocation.Internal;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation that commands observe, so they can clean up (cancel a
/// server job they started, stop a server gracefully); a second signal ends the process at once.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signal;

    public Interrupts()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>The exit code the signal received calls for, or null when none came.</summary>
    public int? ExitCode => Volatile.Read(ref _signal) switch
    {
        0 => null,
        (int)PosixSignal.SIGTERM => ExitCodes.Terminated,
        _ => ExitCodes.Interrupted,
    };

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0) != 0)
        {
            return; // The second signal: let it end the process.
        }
        context.Cancel = true;
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _cancellation.Dispose();
    }
}
