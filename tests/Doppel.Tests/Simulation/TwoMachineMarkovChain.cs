namespace Doppel.Tests.Simulation;

/// <summary>
/// The exact throughput of a two-machine line with exponential processing, operation-dependent exponential failures and
/// repairs, and blocking before service with room for <c>capacity</c> parts (buffer plus the part at machine 2): the
/// continuous-time Markov chain on (n, up1, up2), solved numerically.
/// </summary>
internal static class TwoMachineMarkovChain
{
    /// <summary>States (n, up1, up2); solves πQ = 0 with Σπ = 1 by Gaussian elimination, then throughput = Σ π μ2 [up2, n > 0].</summary>
    public static double Throughput(double mu1, double mu2, double p1, double r1, double p2, double r2, int capacity)
    {
        static int Index(int n, int up1, int up2) => (n * 4) + (up1 * 2) + up2;
        var states = (capacity + 1) * 4;
        var q = new double[states, states];
        void Rate(int from, int to, double rate)
        {
            q[from, to] += rate;
            q[from, from] -= rate;
        }
        for (var n = 0; n <= capacity; n++)
        {
            for (var up1 = 0; up1 < 2; up1++)
            {
                for (var up2 = 0; up2 < 2; up2++)
                {
                    var s = Index(n, up1, up2);
                    if (up1 == 1 && n < capacity)
                    {
                        Rate(s, Index(n + 1, up1, up2), mu1);
                        Rate(s, Index(n, 0, up2), p1);
                    }
                    if (up1 == 0)
                    {
                        Rate(s, Index(n, 1, up2), r1);
                    }
                    if (up2 == 1 && n > 0)
                    {
                        Rate(s, Index(n - 1, up1, up2), mu2);
                        Rate(s, Index(n, up1, 0), p2);
                    }
                    if (up2 == 0)
                    {
                        Rate(s, Index(n, up1, 1), r2);
                    }
                }
            }
        }
        // Solve A x = b with A = Qᵀ, its last row replaced by the normalisation Σπ = 1.
        var a = new double[states, states + 1];
        for (var i = 0; i < states; i++)
        {
            for (var j = 0; j < states; j++)
            {
                a[i, j] = i == states - 1 ? 1 : q[j, i];
            }
            a[i, states] = i == states - 1 ? 1 : 0;
        }
        for (var col = 0; col < states; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < states; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }
            for (var k = 0; k <= states; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            }
            for (var row = 0; row < states; row++)
            {
                if (row != col && a[row, col] != 0)
                {
                    var factor = a[row, col] / a[col, col];
                    for (var k = col; k <= states; k++)
                    {
                        a[row, k] -= factor * a[col, k];
                    }
                }
            }
        }
        var throughput = 0.0;
        for (var n = 1; n <= capacity; n++)
        {
            for (var up1 = 0; up1 < 2; up1++)
            {
                var s = Index(n, up1, 1);
                throughput += a[s, states] / a[s, s] * mu2;
            }
        }
        return throughput;
    }
}
