namespace Doppel.Storage;

/// <summary>Thrown when another store (in this or another process) already holds the data folder.</summary>
public sealed class DataDirectoryInUseException : IOException
{
    public DataDirectoryInUseException(string dataDirectory, Exception? innerException = null)
        : base($"The data folder '{dataDirectory}' is already in use by another Doppel store.", innerException)
    {
        DataDirectory = dataDirectory;
    }

    /// <summary>The full path of the folder that is locked.</summary>
    public string DataDirectory { get; }
}
