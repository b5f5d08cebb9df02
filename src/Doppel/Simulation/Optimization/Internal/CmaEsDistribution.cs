namespace Doppel.Simulation.Optimization.Internal;

/// <summary>
/// The search distribution of a (μ/μ_w, λ)-CMA-ES, N(m, σ²C), and its update from ranked samples, with the default
/// strategy parameters of Hansen, "The CMA Evolution Strategy: A Tutorial" (arXiv:1604.00772): positive recombination
/// weights, cumulative step-size adaptation (CSA), and the rank-one and rank-μ updates of C. Minimizes.
/// </summary>
internal sealed class CmaEsDistribution
{
    private readonly int _n;
    private readonly double[] _weights;
    private readonly double _muEff, _cSigma, _dSigma, _cC, _c1, _cMu, _chiN;
    private readonly double[] _mean, _pSigma, _pC;
    private readonly double[] _c, _b, _d;
    private int _generation, _decomposedAt;

    public CmaEsDistribution(IReadOnlyList<double> mean, double sigma, int lambda)
    {
        _n = mean.Count;
        Lambda = lambda;
        var mu = lambda / 2;
        _weights = new double[mu];
        for (var i = 0; i < mu; i++)
        {
            _weights[i] = Math.Log((lambda + 1) / 2.0) - Math.Log(i + 1);
        }
        var sum = _weights.Sum();
        for (var i = 0; i < mu; i++)
        {
            _weights[i] /= sum;
        }
        _muEff = 1 / _weights.Sum(w => w * w);
        double n = _n;
        _cSigma = (_muEff + 2) / (n + _muEff + 5);
        _dSigma = 1 + (2 * Math.Max(0, Math.Sqrt((_muEff - 1) / (n + 1)) - 1)) + _cSigma;
        _cC = (4 + (_muEff / n)) / (n + 4 + (2 * _muEff / n));
        _c1 = 2 / (((n + 1.3) * (n + 1.3)) + _muEff);
        _cMu = Math.Min(1 - _c1, 2 * (_muEff - 2 + (1 / _muEff)) / (((n + 2) * (n + 2)) + _muEff));
        _chiN = Math.Sqrt(n) * (1 - (1 / (4 * n)) + (1 / (21 * n * n)));
        _mean = [.. mean];
        Sigma = sigma;
        _pSigma = new double[_n];
        _pC = new double[_n];
        _c = new double[_n * _n];
        _b = new double[_n * _n];
        _d = new double[_n];
        for (var i = 0; i < _n; i++)
        {
            _c[(i * _n) + i] = _b[(i * _n) + i] = _d[i] = 1;
        }
    }

    public int Lambda { get; }

    public double Sigma { get; private set; }

    public IReadOnlyList<double> Mean => _mean;

    /// <summary>The largest standard deviation of the distribution along a coordinate, σ·max √C_ii.</summary>
    public double MaxStandardDeviation
    {
        get
        {
            var max = 0.0;
            for (var i = 0; i < _n; i++)
            {
                max = Math.Max(max, _c[(i * _n) + i]);
            }
            return Sigma * Math.Sqrt(max);
        }
    }

    /// <summary>The condition number of C, from its last eigendecomposition.</summary>
    public double Condition => Math.Pow(_d.Max() / _d.Min(), 2);

    /// <summary>Draws z ~ N(0, I) into <paramref name="z"/>, its step y = B·D·z into <paramref name="y"/>, and the point m + σ·y into <paramref name="x"/>.</summary>
    public void Sample(SimRandom random, double[] z, double[] y, double[] x)
    {
        for (var i = 0; i < _n; i++)
        {
            z[i] = random.Normal(0, 1);
        }
        for (var i = 0; i < _n; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < _n; j++)
            {
                sum += _b[(i * _n) + j] * _d[j] * z[j];
            }
            y[i] = sum;
            x[i] = _mean[i] + (Sigma * sum);
        }
    }

    /// <summary>Moves the distribution towards the best samples; <paramref name="ranking"/> lists sample indices best first.</summary>
    public void Update(IReadOnlyList<int> ranking, double[][] z, double[][] y)
    {
        var n = _n;
        var yw = new double[n];
        var zw = new double[n];
        for (var k = 0; k < _weights.Length; k++)
        {
            var w = _weights[k];
            var (zk, yk) = (z[ranking[k]], y[ranking[k]]);
            for (var i = 0; i < n; i++)
            {
                yw[i] += w * yk[i];
                zw[i] += w * zk[i];
            }
        }
        for (var i = 0; i < n; i++)
        {
            _mean[i] += Sigma * yw[i];
        }

        // Step-size path: C^(-1/2)·⟨y⟩_w = B·⟨z⟩_w, since y = B·D·z.
        var sigmaPathFactor = Math.Sqrt(_cSigma * (2 - _cSigma) * _muEff);
        var norm = 0.0;
        for (var i = 0; i < n; i++)
        {
            var bz = 0.0;
            for (var j = 0; j < n; j++)
            {
                bz += _b[(i * n) + j] * zw[j];
            }
            _pSigma[i] = ((1 - _cSigma) * _pSigma[i]) + (sigmaPathFactor * bz);
            norm += _pSigma[i] * _pSigma[i];
        }
        norm = Math.Sqrt(norm);

        // The rank-one path stalls while the step-size path is long (h_σ = 0), so that C does not grow too fast after σ jumped.
        var hSigma = norm / Math.Sqrt(1 - Math.Pow(1 - _cSigma, 2 * (_generation + 1))) < (1.4 + (2 / (n + 1.0))) * _chiN;
        var pathFactor = hSigma ? Math.Sqrt(_cC * (2 - _cC) * _muEff) : 0;
        for (var i = 0; i < n; i++)
        {
            _pC[i] = ((1 - _cC) * _pC[i]) + (pathFactor * yw[i]);
        }
        var delta = hSigma ? 0 : _cC * (2 - _cC);

        // C ← (1 − c1 − cμ)·C + c1·(p_c·p_cᵀ + δ·C) + cμ·Σ w_k·y_k·y_kᵀ (the weights sum to 1); upper triangle, then mirrored.
        var keep = 1 - _c1 - _cMu + (_c1 * delta);
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                var rankMu = 0.0;
                for (var k = 0; k < _weights.Length; k++)
                {
                    var yk = y[ranking[k]];
                    rankMu += _weights[k] * yk[i] * yk[j];
                }
                var value = (keep * _c[(i * n) + j]) + (_c1 * _pC[i] * _pC[j]) + (_cMu * rankMu);
                _c[(i * n) + j] = _c[(j * n) + i] = value;
            }
        }

        // CSA: lengthen σ when successive steps point the same way (path longer than under random selection), shorten otherwise.
        Sigma *= Math.Exp(Math.Min(1, _cSigma / _dSigma * ((norm / _chiN) - 1)));
        _generation++;

        // The eigendecomposition is O(n³): renewed only as often as C changes appreciably (the tutorial's lazy update).
        if (_generation - _decomposedAt > Lambda / ((_c1 + _cMu) * n * 10))
        {
            Decompose();
        }
    }

    private void Decompose()
    {
        _decomposedAt = _generation;
        var values = new double[_n];
        SymmetricEigen.Decompose(_c, _n, values, _b);
        for (var i = 0; i < _n; i++)
        {
            // Rounding can leave a tiny negative eigenvalue; C stays positive definite by construction otherwise.
            _d[i] = Math.Sqrt(Math.Max(values[i], 1e-300));
        }
    }
}
