using System.Globalization;

namespace Doppel.Simulation.Experiments;

/// <summary>
/// A full-factorial grid over parameter values: the cartesian product of each parameter's values, one scenario per
/// combination, the last parameter added varying fastest.
/// </summary>
public sealed class ParameterSweep
{
    private readonly List<(string Name, double[] Values)> _axes = [];

    /// <summary>Adds a parameter and the values it takes.</summary>
    public ParameterSweep Add(string name, params IEnumerable<double> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values);
        double[] array = [.. values];
        if (array.Length == 0)
        {
            throw new ArgumentException($"Parameter '{name}' needs at least one value.", nameof(values));
        }
        if (_axes.Exists(a => a.Name == name))
        {
            throw new ArgumentException($"Parameter '{name}' is already swept.", nameof(name));
        }
        _axes.Add((name, array));
        return this;
    }

    /// <summary>
    /// The scenarios of the grid, named like <c>servers=2, rate=0.9</c>, each also carrying
    /// <paramref name="fixedParameters"/> (swept values win over fixed ones of the same name).
    /// </summary>
    public IReadOnlyList<Scenario> Scenarios(IReadOnlyDictionary<string, double>? fixedParameters = null)
    {
        var count = 1;
        foreach (var axis in _axes)
        {
            count = checked(count * axis.Values.Length);
        }
        var scenarios = new List<Scenario>(count);
        var digits = new int[_axes.Count];
        for (var i = 0; i < count; i++)
        {
            var parameters = fixedParameters is null
                ? new Dictionary<string, double>(StringComparer.Ordinal)
                : new Dictionary<string, double>(fixedParameters, StringComparer.Ordinal);
            var name = new List<string>(_axes.Count);
            for (var a = 0; a < _axes.Count; a++)
            {
                var value = _axes[a].Values[digits[a]];
                parameters[_axes[a].Name] = value;
                name.Add($"{_axes[a].Name}={value.ToString(CultureInfo.InvariantCulture)}");
            }
            scenarios.Add(new Scenario(string.Join(", ", name), parameters));
            // Odometer increment, last axis fastest.
            for (var a = _axes.Count - 1; a >= 0; a--)
            {
                if (++digits[a] < _axes[a].Values.Length)
                {
                    break;
                }
                digits[a] = 0;
            }
        }
        return scenarios;
    }
}
