using System.Diagnostics.CodeAnalysis;

namespace Doppel.Rules.Internal;

/// <summary>Unwinds the recursive-descent parser to <see cref="EventFilter.Parse"/>, which turns it into an error value.</summary>
internal sealed class FilterSyntaxException(int position, string message) : Exception(message)
{
    /// <summary>0-based character offset in the filter text.</summary>
    public int Position { get; } = position;

    [DoesNotReturn]
    public static void Throw(int position, string message) => throw new FilterSyntaxException(position, message);
}
