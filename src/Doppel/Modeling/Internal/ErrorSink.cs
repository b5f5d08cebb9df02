namespace Doppel.Modeling.Internal;

/// <summary>Collects every finding of a batch, so that users fix all of them in one round.</summary>
internal sealed class ErrorSink
{
    public List<ModelError> Errors { get; } = [];

    public List<ModelError> Warnings { get; } = [];

    /// <summary>While positive, findings are dropped: a first pass that re-reads something later reported in full.</summary>
    public int Quiet { get; set; }

    public void Error(string document, string path, string rule, string message)
    {
        if (Quiet == 0)
        {
            Errors.Add(new ModelError(document, path, rule, message));
        }
    }

    public void Warning(string document, string path, string rule, string message)
    {
        if (Quiet == 0)
        {
            Warnings.Add(new ModelError(document, path, rule, message));
        }
    }

    /// <summary>An error, or a warning when the option that tolerates it is on.</summary>
    public void ErrorOrWarning(bool tolerated, string document, string path, string rule, string message)
    {
        if (tolerated)
        {
            Warning(document, path, rule, message);
        }
        else
        {
            Error(document, path, rule, message);
        }
    }
}
