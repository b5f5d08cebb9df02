namespace Doppel.Simulation.Continuous.Internal;

/// <summary>The scaled RMS norm of a local error estimate (Hairer, Nørsett &amp; Wanner, Solving ODEs I, II.4).</summary>
internal static class ErrorNorm
{
    public static double Rms(ReadOnlySpan<double> error, ReadOnlySpan<double> y0, ReadOnlySpan<double> y1, double rtol, double atol)
    {
        var sum = 0.0;
        for (var i = 0; i < error.Length; i++)
        {
            var scale = atol + (rtol * Math.Max(Math.Abs(y0[i]), Math.Abs(y1[i])));
            var e = error[i] / scale;
            sum += e * e;
        }
        var norm = Math.Sqrt(sum / error.Length);
        // A NaN or infinite estimate is a failed step, never an accepted one.
        return double.IsFinite(norm) ? norm : double.PositiveInfinity;
    }
}
