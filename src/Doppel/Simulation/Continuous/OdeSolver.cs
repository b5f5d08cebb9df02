using Doppel.Simulation.Continuous.Internal;

namespace Doppel.Simulation.Continuous;

/// <summary>
/// A one-step ODE solver that a hybrid model drives: <see cref="IntegrateTo"/> advances the continuous state, stops
/// early at terminal events, and <see cref="SetState"/> applies a discrete change and restarts from there.
/// All buffers are allocated once, so steps do not allocate (events found allocate their report).
/// </summary>
public abstract partial class OdeSolver
{
    private double _stepStart;
    private bool _denseValid;

    private protected OdeSolver(OdeProblem problem, OdeOptions? options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(problem.Function);
        ArgumentNullException.ThrowIfNull(problem.InitialState);
        Options = options ?? OdeOptions.Default;
        Options.Validate();
        if (problem.InitialState.Count == 0)
        {
            throw new ArgumentException("The initial state is empty.", nameof(problem));
        }
        Function = problem.Function;
        Dimension = problem.InitialState.Count;
        Y = [.. problem.InitialState];
        CurrentTime = problem.StartTime;
        _stepStart = CurrentTime;
        _zeroCrossings = [.. problem.Events];
        _gPrevious = new double[_zeroCrossings.Length];
        _gNew = new double[_zeroCrossings.Length];
        _stoppedBy = new bool[_zeroCrossings.Length];
        _eventState = new double[Dimension];
        ResetEventSigns(double.NaN);
    }

    /// <summary>The number of state components.</summary>
    public int Dimension { get; }

    /// <summary>The time the state belongs to.</summary>
    public double Time => CurrentTime;

    /// <summary>The start of the last step; <see cref="Interpolate"/> is valid on [PreviousTime, Time].</summary>
    public double PreviousTime => _stepStart;

    /// <summary>The current state y(<see cref="Time"/>).</summary>
    public ReadOnlySpan<double> State => Y;

    /// <summary>Work done since the solver was created.</summary>
    public OdeStatistics Statistics => Counters.Snapshot();

    /// <summary>The events found by the last call of <see cref="IntegrateTo"/>, in time order.</summary>
    public IReadOnlyList<OdeEventHit> EventsFound => _hits;

    private protected OdeFunction Function { get; }

    private protected OdeOptions Options { get; }

    private protected double[] Y { get; }

    private protected double CurrentTime { get; set; }

    internal SolverCounters Counters { get; } = new();

    /// <summary>
    /// Advances to <paramref name="tEnd"/> (landing on it exactly), or stops earlier at a terminal event or when the
    /// step budget or step size gives out; the status says which.
    /// </summary>
    public OdeResult IntegrateTo(double tEnd)
    {
        if (!(tEnd >= CurrentTime))
        {
            throw new ArgumentOutOfRangeException(nameof(tEnd), tEnd, "The solvers integrate forward in time only.");
        }
        _hits.Clear();
        var attempts = 0;
        while (CurrentTime < tEnd)
        {
            if (attempts++ >= Options.MaxSteps)
            {
                return new OdeResult(OdeStatus.TooManySteps, CurrentTime);
            }
            var start = CurrentTime;
            switch (TryStep(tEnd))
            {
                case StepAttempt.Rejected:
                    Counters.Rejected++;
                    continue;
                case StepAttempt.StepSizeTooSmall:
                    return new OdeResult(OdeStatus.StepSizeTooSmall, CurrentTime);
            }
            Counters.Accepted++;
            _stepStart = start;
            _denseValid = true;
            if (_zeroCrossings.Length > 0 && CheckEvents())
            {
                return new OdeResult(OdeStatus.TerminalEvent, CurrentTime);
            }
        }
        return new OdeResult(OdeStatus.ReachedEnd, CurrentTime);
    }

    /// <summary>
    /// Replaces the state (a discrete event of a hybrid model) and restarts integration from (t, y): the step history
    /// is discarded, because the solution need not be smooth across the change.
    /// </summary>
    public void SetState(double t, ReadOnlySpan<double> y)
    {
        if (y.Length != Dimension)
        {
            throw new ArgumentException($"The state has {y.Length} components, the problem {Dimension}.", nameof(y));
        }
        y.CopyTo(Y);
        var stopTime = _stopTime;
        CurrentTime = t;
        _stepStart = t;
        _denseValid = false;
        Restart(keepStepSize: false);
        ResetEventSigns(stopTime);
    }

    /// <summary>Writes the dense-output solution at <paramref name="t"/>, which must lie within the last step.</summary>
    public void Interpolate(double t, Span<double> y)
    {
        if (y.Length != Dimension)
        {
            throw new ArgumentException($"The buffer has {y.Length} components, the problem {Dimension}.", nameof(y));
        }
        if (t == CurrentTime)
        {
            Y.CopyTo(y);
            return;
        }
        if (!_denseValid || t < _stepStart || t > CurrentTime)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, $"Dense output covers [{_stepStart}, {CurrentTime}] only.");
        }
        DenseOutput(t, y);
    }

    private protected void Evaluate(double t, ReadOnlySpan<double> y, Span<double> dydt)
    {
        Counters.Functions++;
        Function(t, y, dydt);
    }

    /// <summary>Attempts one step from the current state that ends no later than <paramref name="tEnd"/>.</summary>
    private protected abstract StepAttempt TryStep(double tEnd);

    /// <summary>The interpolant of the last accepted step at a t inside it.</summary>
    private protected abstract void DenseOutput(double t, Span<double> y);

    /// <summary>Forgets derivative values at the old state after <see cref="Y"/> or the time changed.</summary>
    private protected abstract void Restart(bool keepStepSize);
}
