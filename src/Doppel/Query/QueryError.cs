namespace Doppel.Query;

/// <summary>Why a query was rejected and where: 1-based line and column of the offending spot in the query text.</summary>
public sealed record QueryError(int Line, int Column, string Message)
{
    /// <summary>The ADT error code for rejected queries.</summary>
    public const string Code = "SqlQueryError";

    /// <summary>The error as the <see cref="DoppelError"/> the REST layer returns.</summary>
    public DoppelError ToDoppelError() => new(Code, ToString());

    public override string ToString() => $"{Message} at {Line}:{Column}";
}
