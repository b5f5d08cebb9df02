using System.Diagnostics.CodeAnalysis;

namespace Doppel.Query.Internal;

/// <summary>Unwinds the recursive-descent parser to <see cref="Parser.Parse"/>, which turns it into a <see cref="QueryError"/>.</summary>
internal sealed class QuerySyntaxException(int offset, string message) : Exception(message)
{
    public int Offset { get; } = offset;

    [DoesNotReturn]
    public static void Throw(int offset, string message) => throw new QuerySyntaxException(offset, message);
}
