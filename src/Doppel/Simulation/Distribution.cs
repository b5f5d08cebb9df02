using System.Globalization;
using System.Text.RegularExpressions;

namespace Doppel.Simulation;

/// <summary>
/// A probability distribution a model samples (cycle times, times to failure, repairs), written as scenario files write
/// it: <c>const(5)</c>, <c>exp(300)</c> (mean), <c>normal(10, 2)</c> (never negative), <c>lognormal(μ, σ)</c>,
/// <c>uniform(a, b)</c>, <c>triangular(a, mode, b)</c>, <c>gamma(shape, scale)</c>, <c>erlang(k, mean)</c>, <c>weibull(shape, scale)</c>.
/// </summary>
public sealed partial record Distribution(string Kind, IReadOnlyList<double> Parameters)
{
    private static readonly Dictionary<string, int> Arity = new(StringComparer.Ordinal)
    {
        ["const"] = 1,
        ["exp"] = 1,
        ["normal"] = 2,
        ["lognormal"] = 2,
        ["uniform"] = 2,
        ["triangular"] = 3,
        ["gamma"] = 2,
        ["erlang"] = 2,
        ["weibull"] = 2,
    };

    public static Distribution Constant(double value) => new("const", [value]);

    public static Distribution Exponential(double mean) => new("exp", [mean]);

    /// <summary>The mean of the distribution (for normal, of the untruncated one).</summary>
    public double Mean => Kind switch
    {
        "const" or "exp" => Parameters[0],
        "normal" => Parameters[0],
        "lognormal" => Math.Exp(Parameters[0] + (Parameters[1] * Parameters[1] / 2)),
        "uniform" => (Parameters[0] + Parameters[1]) / 2,
        "triangular" => (Parameters[0] + Parameters[1] + Parameters[2]) / 3,
        "gamma" => Parameters[0] * Parameters[1],
        "erlang" => Parameters[1],
        _ => Parameters[1] * Gamma(1 + (1 / Parameters[0])),
    };

    public double Sample(SimRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var p = Parameters;
        return Kind switch
        {
            "const" => p[0],
            "exp" => random.Exponential(p[0]),
            "normal" => random.PositiveNormal(p[0], p[1]),
            "lognormal" => random.LogNormal(p[0], p[1]),
            "uniform" => random.Uniform(p[0], p[1]),
            "triangular" => random.Triangular(p[0], p[1], p[2]),
            "gamma" => random.Gamma(p[0], p[1]),
            "erlang" => random.Erlang((int)p[0], p[1]),
            _ => random.Weibull(p[0], p[1]),
        };
    }

    /// <summary>Reads <c>name(p1, p2, ...)</c>; the error says what is wrong and what is allowed.</summary>
    public static Result<Distribution> Parse(string text)
    {
        var match = Syntax().Match(text ?? "");
        if (!match.Success)
        {
            return Result<Distribution>.Fail("InvalidArgument", $"'{text}' is not a distribution such as exp(300), normal(10, 2) or const(5).");
        }
        var kind = match.Groups[1].Value.ToLowerInvariant();
        if (!Arity.TryGetValue(kind, out var arity))
        {
            return Result<Distribution>.Fail("InvalidArgument", $"'{kind}' is not a distribution; use one of {string.Join(", ", Arity.Keys)}.");
        }
        var parameters = new List<double>();
        foreach (var part in match.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                return Result<Distribution>.Fail("InvalidArgument", $"'{part}' in '{text}' is not a number.");
            }
            parameters.Add(value);
        }
        if (parameters.Count != arity)
        {
            return Result<Distribution>.Fail("InvalidArgument", $"{kind} takes {arity} parameter(s), '{text}' gives {parameters.Count}.");
        }
        var invalid = kind switch
        {
            "const" when parameters[0] < 0 => "a constant duration must not be negative",
            "exp" when parameters[0] <= 0 => "the mean must be positive",
            "normal" or "lognormal" when parameters[1] < 0 => "the deviation must not be negative",
            // Durations are drawn from the normal cut at 0 by drawing again: with a negative mean that may never end.
            "normal" when parameters[0] < 0 => "the mean must not be negative",
            "uniform" when parameters[0] < 0 || parameters[1] < parameters[0] => "need 0 <= a <= b",
            "triangular" when parameters[0] < 0 || parameters[1] < parameters[0] || parameters[2] < parameters[1] => "need 0 <= a <= mode <= b",
            "gamma" or "weibull" when parameters[0] <= 0 || parameters[1] <= 0 => "shape and scale must be positive",
            "erlang" when parameters[0] < 1 || parameters[0] != Math.Floor(parameters[0]) || parameters[1] <= 0 => "k must be a positive integer and the mean positive",
            _ => null,
        };
        return invalid is null
            ? Result<Distribution>.Ok(new Distribution(kind, parameters))
            : Result<Distribution>.Fail("InvalidArgument", $"'{text}': {invalid}.");
    }

    public override string ToString() => $"{Kind}({string.Join(", ", Parameters.Select(p => p.ToString(CultureInfo.InvariantCulture)))})";

    // Lanczos approximation, for the Weibull mean.
    private static double Gamma(double x)
    {
        double[] g = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        if (x < 0.5)
        {
            return Math.PI / (Math.Sin(Math.PI * x) * Gamma(1 - x));
        }
        x -= 1;
        var a = 0.99999999999980993;
        var t = x + 7.5;
        for (var i = 0; i < g.Length; i++)
        {
            a += g[i] / (x + i + 1);
        }
        return Math.Sqrt(2 * Math.PI) * Math.Pow(t, x + 0.5) * Math.Exp(-t) * a;
    }

    [GeneratedRegex(@"^\s*([A-Za-z]+)\s*\(\s*([^()]*)\)\s*$")]
    private static partial Regex Syntax();
}
