namespace Doppel.Analytics.Rul.Internal;

/// <summary>Seeded k-means (k-means++ initialisation, Lloyd iterations) and the silhouette that chooses k.</summary>
internal static class KMeans
{
    public static double[][] Fit(IReadOnlyList<double[]> points, int k, Random random, int iterations = 50)
    {
        var dims = points[0].Length;
        var centroids = new double[k][];
        centroids[0] = (double[])points[random.Next(points.Count)].Clone();
        var distances = new double[points.Count];
        for (var c = 1; c < k; c++)
        {
            double total = 0;
            for (var i = 0; i < points.Count; i++)
            {
                distances[i] = Nearest(centroids.AsSpan(0, c), points[i]).Distance;
                total += distances[i];
            }
            var target = random.NextDouble() * total;
            var chosen = points.Count - 1;
            for (var i = 0; i < points.Count; i++)
            {
                target -= distances[i];
                if (target <= 0)
                {
                    chosen = i;
                    break;
                }
            }
            centroids[c] = (double[])points[chosen].Clone();
        }

        var assignment = new int[points.Count];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var changed = false;
            for (var i = 0; i < points.Count; i++)
            {
                var nearest = Nearest(centroids, points[i]).Index;
                changed |= nearest != assignment[i] || iteration == 0;
                assignment[i] = nearest;
            }
            if (!changed)
            {
                break;
            }
            var sums = new double[k][];
            var counts = new int[k];
            for (var c = 0; c < k; c++)
            {
                sums[c] = new double[dims];
            }
            for (var i = 0; i < points.Count; i++)
            {
                counts[assignment[i]]++;
                for (var d = 0; d < dims; d++)
                {
                    sums[assignment[i]][d] += points[i][d];
                }
            }
            for (var c = 0; c < k; c++)
            {
                if (counts[c] > 0)
                {
                    for (var d = 0; d < dims; d++)
                    {
                        centroids[c][d] = sums[c][d] / counts[c];
                    }
                }
            }
        }
        return centroids;
    }

    public static (int Index, double Distance) Nearest(ReadOnlySpan<double[]> centroids, ReadOnlySpan<double> point)
    {
        var best = (Index: 0, Distance: double.MaxValue);
        for (var c = 0; c < centroids.Length; c++)
        {
            double distance = 0;
            for (var d = 0; d < point.Length; d++)
            {
                var delta = point[d] - centroids[c][d];
                distance += delta * delta;
            }
            if (distance < best.Distance)
            {
                best = (c, distance);
            }
        }
        return best;
    }

    /// <summary>Mean silhouette of the points under the centroids' assignment (1: tight, well-separated clusters; near 0: no structure).</summary>
    public static double Silhouette(IReadOnlyList<double[]> points, double[][] centroids)
    {
        var k = centroids.Length;
        var assignment = new int[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            assignment[i] = Nearest(centroids, points[i]).Index;
        }
        double total = 0;
        var sums = new double[k];
        var counts = new int[k];
        foreach (var a in assignment)
        {
            counts[a]++;
        }
        for (var i = 0; i < points.Count; i++)
        {
            Array.Clear(sums);
            for (var j = 0; j < points.Count; j++)
            {
                if (i != j)
                {
                    sums[assignment[j]] += Math.Sqrt(Distance(points[i], points[j]));
                }
            }
            var own = assignment[i];
            if (counts[own] <= 1)
            {
                continue;
            }
            var a = sums[own] / (counts[own] - 1);
            var b = double.MaxValue;
            for (var c = 0; c < k; c++)
            {
                if (c != own && counts[c] > 0)
                {
                    b = Math.Min(b, sums[c] / counts[c]);
                }
            }
            total += b == double.MaxValue ? 0 : (b - a) / Math.Max(a, b);
        }
        return total / points.Count;
    }

    private static double Distance(double[] x, double[] y)
    {
        double distance = 0;
        for (var d = 0; d < x.Length; d++)
        {
            var delta = x[d] - y[d];
            distance += delta * delta;
        }
        return distance;
    }
}
