namespace Doppel.Packs;

/// <summary>
/// A document that cannot be read as its kind expects, thrown by a pack's reader at the node at fault and turned into
/// a <see cref="DoppelError"/> (<c>InvalidArgument</c>) by <see cref="DocumentReader"/>: it never leaves the reader.
/// </summary>
public sealed class DocumentException : Exception
{
    public DocumentException(int line, int column, string path, string message)
        : base(message)
    {
        Line = line;
        Column = column;
        Path = path;
    }

    public DocumentException()
        : this(0, 0, "", "The document is malformed.")
    {
    }

    public DocumentException(string message)
        : this(0, 0, "", message)
    {
    }

    public DocumentException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "";
    }

    /// <summary>The line at fault, from 1; 0 when unknown.</summary>
    public int Line { get; }

    public int Column { get; }

    /// <summary>The text is not JSON or YAML at all: the column says where on the line it breaks.</summary>
    public bool IsSyntaxError { get; init; }

    /// <summary>The path of the node at fault (<see cref="DocumentNode.Path"/>).</summary>
    public string Path { get; }

    /// <summary>
    /// Where and why, as one message: <c>line 7, line.stations[1]: unknown key 'timeToFailur'; did you mean 'timeToFailure'?</c>;
    /// a syntax error gives its column too.
    /// </summary>
    public string Describe()
    {
        var line = (Line, Column) switch
        {
            ( > 0, > 0) when IsSyntaxError => $"line {Line}, column {Column}",
            ( > 0, _) => $"line {Line}",
            _ => "",
        };
        var where = (line.Length > 0, Path.Length > 0) switch
        {
            (true, true) => $"{line}, {Path}: ",
            (true, false) => $"{line}: ",
            (false, true) => $"{Path}: ",
            _ => "",
        };
        return where + Message;
    }
}
