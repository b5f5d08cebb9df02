using Doppel.Simulation;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Estimation.Internal;

/// <summary>
/// The members of an ensemble or particle filter, stored member after member in one array (so the n × N matrix
/// view for the analysis costs nothing), with the propagation both filters share.
/// </summary>
internal sealed class EnsembleStore
{
    private double[] _members;
    private double[] _next;
    private readonly bool[] _failed;

    public EnsembleStore(int size, int count)
    {
        Size = size;
        Count = count;
        _members = new double[size * count];
        _next = new double[size * count];
        _failed = new bool[count];
    }

    public int Size { get; }

    public int Count { get; }

    /// <summary>Member i at [i n, (i + 1) n).</summary>
    public double[] Members => _members;

    public Span<double> Member(int i) => _members.AsSpan(i * Size, Size);

    /// <summary>The ensemble as an n × N matrix bound to the storage (column i is member i).</summary>
    public Matrix<double> View() => Matrices.M.Dense(Size, Count, _members);

    public void Draw(Vector<double> mean, Matrix<double> covariance, SimRandom random)
    {
        var factor = Matrices.Factor(covariance);
        var scratch = new double[Size];
        for (var i = 0; i < Count; i++)
        {
            var member = Member(i);
            mean.AsArray().CopyTo(member);
            Sampling.AddNoise(member, factor, random, scratch);
        }
    }

    /// <summary>
    /// Steps every member from t to t + dt; returns which failed (threw or produced non-finite values): those keep
    /// their old state for the caller to drop or replace. Throws, with the ensemble unchanged, when all fail.
    /// </summary>
    public ReadOnlySpan<bool> Propagate(StateTransition transition, double t, double dt, bool parallel)
    {
        if (parallel && Count > 1)
        {
            System.Threading.Tasks.Parallel.For(0, Count, i => _failed[i] = !TryStep(transition, t, dt, i));
        }
        else
        {
            for (var i = 0; i < Count; i++)
            {
                _failed[i] = !TryStep(transition, t, dt, i);
            }
        }
        var failures = 0;
        for (var i = 0; i < Count; i++)
        {
            if (_failed[i])
            {
                failures++;
                _members.AsSpan(i * Size, Size).CopyTo(_next.AsSpan(i * Size, Size));
            }
        }
        if (failures == Count)
        {
            throw new InvalidOperationException($"The model failed for every member between t = {t} and t = {t + dt}; the estimate is unchanged.");
        }
        (_members, _next) = (_next, _members);
        return _failed;
    }

    private bool TryStep(StateTransition transition, double t, double dt, int i)
    {
        var next = _next.AsSpan(i * Size, Size);
        try
        {
            transition(t, dt, _members.AsSpan(i * Size, Size), next);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A member the model cannot step (a solver failure, a domain error) is dropped, not the whole filter.
            return false;
        }
        foreach (var v in next)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    public void AddProcessNoise(Func<double, double[,]>? processNoise, double dt, SimRandom random)
    {
        if (processNoise?.Invoke(dt) is not { } q)
        {
            return;
        }
        Matrices.CheckCovariance(q, Size, "The process noise Q(dt)", nameof(dt), semiDefinite: true);
        var factor = Matrices.Factor(Matrices.M.DenseOfArray(q));
        var scratch = new double[Size];
        for (var i = 0; i < Count; i++)
        {
            Sampling.AddNoise(Member(i), factor, random, scratch);
        }
    }

    /// <summary>
    /// <paramref name="count"/> members for forecasts: whole copies of the ensemble first, the remainder drawn
    /// without replacement, so that count = N returns every member once.
    /// </summary>
    public IReadOnlyList<double[]> Stratified(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var draws = new List<double[]>(count);
        for (var copy = 0; copy < count / Count; copy++)
        {
            for (var i = 0; i < Count; i++)
            {
                draws.Add(Member(i).ToArray());
            }
        }
        var order = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            order[i] = i;
        }
        var random = new SimRandom(seed);
        for (var i = Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        for (var i = 0; draws.Count < count; i++)
        {
            draws.Add(Member(order[i]).ToArray());
        }
        return draws;
    }
}
