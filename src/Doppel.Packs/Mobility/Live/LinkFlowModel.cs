using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// The link-flow model of a road network: each road's flow is the trips that start on it plus the shares of its
/// upstream roads' flows that turn into it, q = s + Pᵀq, so q = (I − Pᵀ)⁻¹ s = A s. Turning fractions P and the prior
/// departure rates s̄ come from the roads (a survey day's routes, see <c>doppel traffic twins --routes</c>).
/// </summary>
public sealed class LinkFlowModel
{
    private readonly Dictionary<string, int> _index;

    private LinkFlowModel(IReadOnlyList<LinkFlowRoad> roads, Dictionary<string, int> index, double[,] propagation)
    {
        Roads = roads;
        _index = index;
        Propagation = propagation;
    }

    /// <summary>The roads, in the order of the model's vectors.</summary>
    public IReadOnlyList<LinkFlowRoad> Roads { get; }

    /// <summary>A = (I − Pᵀ)⁻¹: A[i, j] is how many times a trip starting on road j drives road i, on average.</summary>
    internal double[,] Propagation { get; }

    /// <summary>The index of a road in the model's vectors, or -1.</summary>
    public int IndexOf(string road) => _index.GetValueOrDefault(road, -1);

    /// <summary>Flows (veh/h) of every road for departure rates <paramref name="departures"/> (veh/h per road).</summary>
    public double[] Flows(ReadOnlySpan<double> departures)
    {
        var flows = new double[Roads.Count];
        for (var i = 0; i < flows.Length; i++)
        {
            flows[i] = Flow(i, departures);
        }
        return flows;
    }

    /// <summary>The flow of road <paramref name="road"/> (index) for departure rates <paramref name="departures"/>.</summary>
    internal double Flow(int road, ReadOnlySpan<double> departures)
    {
        var flow = 0.0;
        for (var j = 0; j < departures.Length; j++)
        {
            flow += Propagation[road, j] * departures[j];
        }
        return flow;
    }

    /// <summary>
    /// Builds the model; an error names the road and what is wrong: a turn into a road that is not there, a fraction
    /// outside [0, 1], fractions summing above 1, departures below 0, or turns that keep vehicles circling for ever.
    /// </summary>
    public static Result<LinkFlowModel> Create(IReadOnlyList<LinkFlowRoad> roads)
    {
        ArgumentNullException.ThrowIfNull(roads);
        if (roads.Count == 0)
        {
            return Fail("the network has no roads");
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var road in roads)
        {
            if (!index.TryAdd(road.Id, index.Count))
            {
                return Fail($"road '{road.Id}' is listed twice");
            }
        }
        var n = roads.Count;
        var system = Matrix<double>.Build.DenseIdentity(n);
        for (var i = 0; i < n; i++)
        {
            var road = roads[i];
            if (!(road.Departures >= 0) || double.IsInfinity(road.Departures))
            {
                return Fail($"road '{road.Id}' has departures {road.Departures.ToString(CultureInfo.InvariantCulture)}; a rate is a finite number ≥ 0 (veh/h)");
            }
            var sum = 0.0;
            foreach (var (next, fraction) in road.Turns)
            {
                if (!index.TryGetValue(next, out var j))
                {
                    return Fail($"road '{road.Id}' turns into '{next}', which is not a road of the network");
                }
                if (!(fraction >= 0 && fraction <= 1))
                {
                    return Fail($"road '{road.Id}' turns into '{next}' with fraction {fraction.ToString(CultureInfo.InvariantCulture)}; a fraction is between 0 and 1");
                }
                sum += fraction;
                // Row i of (I − Pᵀ): road i receives P[j → i] of road j.
                system[j, i] -= fraction;
            }
            if (sum > 1 + 1e-9)
            {
                return Fail($"road '{road.Id}' sends {sum.ToString("0.###", CultureInfo.InvariantCulture)} of its vehicles on; the fractions sum to at most 1 (the rest end their trips there)");
            }
        }
        var lu = system.LU();
        if (Math.Abs(lu.Determinant) < 1e-12)
        {
            return Fail("some vehicles never leave: the turning fractions of a loop of roads send all of them round it (let some end their trips)");
        }
        var inverse = lu.Inverse();
        if (inverse.Enumerate().Any(v => !double.IsFinite(v) || v < -1e-9))
        {
            return Fail("some vehicles never leave: the turning fractions of a loop of roads send all of them round it (let some end their trips)");
        }
        return Result<LinkFlowModel>.Ok(new LinkFlowModel(roads, index, inverse.ToArray()));

        static Result<LinkFlowModel> Fail(string message) => Result<LinkFlowModel>.Fail("InvalidArgument", $"The link-flow model cannot be built: {message}.");
    }
}
