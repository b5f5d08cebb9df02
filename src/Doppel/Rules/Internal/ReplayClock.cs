namespace Doppel.Rules.Internal;

/// <summary>A clock moved by hand, whose timers fire in time order as it moves: a backtest's time is its points' times.</summary>
internal sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    private readonly PriorityQueue<ReplayTimer, (DateTimeOffset, long)> _due = new();
    private long _order;

    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ReplayTimer(this, callback, state).Arm(dueTime);

    /// <summary>Moves to <paramref name="time"/> (never back), firing every timer due on the way at its own time.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        while (_due.TryPeek(out var timer, out var at) && at.Item1 <= time)
        {
            _due.Dequeue();
            if (timer.Version != at.Item2 || timer.DueAt is null)
            {
                continue; // re-armed or stopped since
            }
            Now = at.Item1 > Now ? at.Item1 : Now;
            timer.DueAt = null;
            timer.Fire();
        }
        if (time > Now)
        {
            Now = time;
        }
    }

    private void Schedule(ReplayTimer timer, DateTimeOffset at)
    {
        timer.Version = ++_order;
        timer.DueAt = at;
        _due.Enqueue(timer, (at, timer.Version));
    }

    private sealed class ReplayTimer(ReplayClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long Version { get; set; }

        public DateTimeOffset? DueAt { get; set; }

        public ReplayTimer Arm(TimeSpan dueTime)
        {
            Change(dueTime, Timeout.InfiniteTimeSpan);
            return this;
        }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                DueAt = null;
                Version = ++clock._order;
            }
            else
            {
                clock.Schedule(this, clock.Now + dueTime);
            }
            return true;
        }

        public void Dispose() => Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
