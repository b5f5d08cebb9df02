namespace Doppel.Ingest;

/// <summary>Converts values between DTDL units of the same kind (the units of DTDL's semantic types), through the SI unit.</summary>
public static class Units
{
    // unit -> (kind, factor, offset): si = value * factor + offset.
    private static readonly Dictionary<string, (string Kind, double Factor, double Offset)> Table = Build();

    /// <summary>Whether Doppel can convert from or to this unit.</summary>
    public static bool IsKnown(string unit) => Table.ContainsKey(unit);

    /// <summary>The value in <paramref name="to"/>; fails when either unit is unknown or they measure different things.</summary>
    public static Result<double> Convert(double value, string from, string to)
    {
        if (!double.IsFinite(value))
        {
            // A JSON number beyond the range of a double reads as infinity, which no JSON value can be.
            return Result<double>.Fail(DeadLetterReason.ValidationFailed, $"The value is too large to convert from '{from}' to '{to}'.");
        }
        if (from == to)
        {
            return Result<double>.Ok(value);
        }
        if (!Table.TryGetValue(from, out var source))
        {
            return Result<double>.Fail(DeadLetterReason.UnitMismatch, $"Unit '{from}' is not a DTDL unit Doppel converts.");
        }
        if (!Table.TryGetValue(to, out var target))
        {
            return Result<double>.Fail(DeadLetterReason.UnitMismatch, $"Unit '{to}' is not a DTDL unit Doppel converts.");
        }
        if (source.Kind != target.Kind)
        {
            return Result<double>.Fail(DeadLetterReason.UnitMismatch, $"Cannot convert '{from}' ({source.Kind}) to '{to}' ({target.Kind}).");
        }
        var si = (value * source.Factor) + source.Offset;
        var converted = (si - target.Offset) / target.Factor;
        return double.IsFinite(converted)
            ? Result<double>.Ok(converted)
            : Result<double>.Fail(DeadLetterReason.ValidationFailed, $"The value {value} in '{from}' is too large in '{to}'.");
    }

    private static Dictionary<string, (string, double, double)> Build()
    {
        var table = new Dictionary<string, (string, double, double)>(StringComparer.Ordinal);
        void Add(string kind, params (string Unit, double Factor)[] units)
        {
            foreach (var (unit, factor) in units)
            {
                table[unit] = (kind, factor, 0);
            }
        }

        table["kelvin"] = ("temperature", 1, 0);
        table["degreeCelsius"] = ("temperature", 1, 273.15);
        table["degreeFahrenheit"] = ("temperature", 5.0 / 9.0, 273.15 - (32 * 5.0 / 9.0));
        Add("length", ("metre", 1), ("centimetre", 0.01), ("millimetre", 0.001), ("micrometre", 1e-6), ("nanometre", 1e-9), ("kilometre", 1000),
            ("inch", 0.0254), ("foot", 0.3048), ("mile", 1609.344), ("nauticalMile", 1852), ("astronomicalUnit", 149_597_870_700));
        Add("pressure", ("pascal", 1), ("kilopascal", 1000), ("bar", 100_000), ("millibar", 100), ("poundPerSquareInch", 6894.757293168),
            ("inchesOfMercury", 3386.389), ("millimetresOfMercury", 133.322387415), ("inchesOfWater", 249.08891));
        Add("mass", ("kilogram", 1), ("gram", 0.001), ("milligram", 1e-6), ("microgram", 1e-9), ("tonne", 1000), ("slug", 14.593903));
        Add("time", ("second", 1), ("millisecond", 0.001), ("microsecond", 1e-6), ("nanosecond", 1e-9), ("minute", 60), ("hour", 3600), ("day", 86_400), ("year", 31_536_000));
        Add("velocity", ("metrePerSecond", 1), ("centimetrePerSecond", 0.01), ("kilometrePerHour", 1000 / 3600.0), ("kilometrePerSecond", 1000),
            ("metrePerHour", 1 / 3600.0), ("milePerHour", 0.44704), ("milePerSecond", 1609.344), ("knot", 1852 / 3600.0));
        Add("power", ("watt", 1), ("milliwatt", 0.001), ("microwatt", 1e-6), ("kilowatt", 1000), ("megawatt", 1e6), ("gigawatt", 1e9), ("horsepower", 745.699872),
            ("kilowattHourPerYear", 3_600_000 / 31_536_000.0));
        Add("energy", ("joule", 1), ("kilojoule", 1000), ("megajoule", 1e6), ("gigajoule", 1e9), ("kilowattHour", 3_600_000),
            ("electronvolt", 1.602176634e-19), ("megaelectronvolt", 1.602176634e-13));
        Add("voltage", ("volt", 1), ("millivolt", 0.001), ("microvolt", 1e-6), ("kilovolt", 1000), ("megavolt", 1e6));
        Add("current", ("ampere", 1), ("milliampere", 0.001), ("microampere", 1e-6));
        Add("frequency", ("hertz", 1), ("kilohertz", 1000), ("megahertz", 1e6), ("gigahertz", 1e9));
        Add("angularVelocity", ("radianPerSecond", 1), ("degreePerSecond", Math.PI / 180), ("revolutionPerMinute", 2 * Math.PI / 60), ("revolutionPerSecond", 2 * Math.PI));
        Add("angle", ("radian", 1), ("degreeOfArc", Math.PI / 180), ("minuteOfArc", Math.PI / 10_800), ("secondOfArc", Math.PI / 648_000), ("turn", 2 * Math.PI));
        Add("volume", ("cubicMetre", 1), ("litre", 0.001), ("millilitre", 1e-6), ("cubicCentimetre", 1e-6), ("cubicFoot", 0.028316846592),
            ("cubicInch", 1.6387064e-5), ("gallon", 0.003785411784), ("fluidOunce", 2.95735295625e-5));
        Add("volumeFlowRate", ("litrePerSecond", 1), ("litrePerHour", 1 / 3600.0), ("millilitrePerSecond", 0.001), ("millilitrePerHour", 0.001 / 3600));
        Add("massFlowRate", ("kilogramPerSecond", 1), ("kilogramPerHour", 1 / 3600.0), ("gramPerSecond", 0.001), ("gramPerHour", 0.001 / 3600));
        Add("force", ("newton", 1), ("pound", 4.4482216152605), ("ounce", 0.27801385095378), ("ton", 8896.443230521));
        Add("acceleration", ("metrePerSecondSquared", 1), ("centimetrePerSecondSquared", 0.01), ("gForce", 9.80665));
        Add("area", ("squareMetre", 1), ("squareCentimetre", 1e-4), ("squareMillimetre", 1e-6), ("squareKilometre", 1e6), ("squareFoot", 0.09290304),
            ("squareInch", 6.4516e-4), ("acre", 4046.8564224), ("hectare", 10_000));
        Add("resistance", ("ohm", 1), ("milliohm", 0.001), ("kiloohm", 1000), ("megaohm", 1e6));
        Add("unitless", ("unity", 1), ("percent", 0.01));
        return table;
    }
}
