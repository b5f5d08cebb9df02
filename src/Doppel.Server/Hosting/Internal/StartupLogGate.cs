namespace Doppel.Server.Hosting.Internal;

/// <summary>
/// Holds what the console logger is given while the server starts. Once it has started, the held entries are written
/// in order and later ones pass straight through; when start-up fails they are dropped, because the failure (a port in
/// use, a locked data folder) reaches the caller as one exception that says it better than the framework's traces.
/// </summary>
internal sealed class StartupLogGate(ILoggerProvider console) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private List<Action>? _held = [];
    private bool _dropped;

    public ILogger CreateLogger(string categoryName) => new GatedLogger(this, console.CreateLogger(categoryName));

    /// <summary>Start-up succeeded: write what was held, then let everything through.</summary>
    public void Release()
    {
        lock (_gate)
        {
            foreach (var write in _held ?? [])
            {
                write();
            }
            _held = null;
        }
    }

    /// <summary>Start-up failed: drop what was held and whatever the shutdown that follows logs.</summary>
    public void Drop()
    {
        lock (_gate)
        {
            _held = null;
            _dropped = true;
        }
    }

    public void Dispose() => console.Dispose();

    private void Log(Action write)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add(write);
                return;
            }
            if (_dropped)
            {
                return;
            }
        }
        write();
    }

    private sealed class GatedLogger(StartupLogGate gate, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }
            // The message is formatted now: the state may not outlive this call.
            var message = formatter(state, exception);
            gate.Log(() => inner.Log(logLevel, eventId, message, exception, static (text, _) => text));
        }
    }
}
