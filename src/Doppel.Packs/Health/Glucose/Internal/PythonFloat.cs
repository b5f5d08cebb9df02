using System.Globalization;

namespace Doppel.Packs.Health.Glucose.Internal;

/// <summary>A double as Python's <c>repr</c> writes it (the shortest round-trip digits; scientific below 1e-4 and from 1e16), so CSVs read the same as pandas'.</summary>
internal static class PythonFloat
{
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }
        // "E16" would not be the shortest; "R" is, so take its digits and decimal exponent and lay them out as Python does.
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponent;
        string mantissa;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = text[..e];
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        else
        {
            mantissa = text;
            exponent = 0;
        }
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = dot >= 0 ? mantissa[..dot] : mantissa;
        var digits = (integerDigits + (dot >= 0 ? mantissa[(dot + 1)..] : "")).TrimStart('0');
        var leadingZeros = (integerDigits + (dot >= 0 ? mantissa[(dot + 1)..] : "")).Length - digits.Length;
        digits = digits.TrimEnd('0');
        // decimal point position relative to the first significant digit
        var pointAt = integerDigits.Length - leadingZeros + exponent;
        var sign = value < 0 ? "-" : "";
        var decimalExponent = pointAt - 1;
        if (decimalExponent < -4 || decimalExponent >= 16)
        {
            var frac = digits.Length > 1 ? "." + digits[1..] : "";
            var expSign = decimalExponent < 0 ? "-" : "+";
            return $"{sign}{digits[0]}{frac}e{expSign}{Math.Abs(decimalExponent):00}";
        }
        if (pointAt <= 0)
        {
            return $"{sign}0.{new string('0', -pointAt)}{digits}";
        }
        if (pointAt >= digits.Length)
        {
            return $"{sign}{digits}{new string('0', pointAt - digits.Length)}.0";
        }
        return $"{sign}{digits[..pointAt]}.{digits[pointAt..]}";
    }
}
