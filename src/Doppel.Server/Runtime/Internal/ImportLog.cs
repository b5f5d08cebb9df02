using System.Text.Json;

namespace Doppel.Server.Runtime.Internal;

/// <summary>
/// The import job's output file, one JSON object per line like ADT's output blob:
/// <c>{"timestamp","jobId","jobType":"Import","logType":"Info"|"Error","details":{...}}</c>.
/// </summary>
internal sealed class ImportLog(Stream output, string jobId, TimeProvider time) : IAsyncDisposable
{
    private readonly Utf8JsonWriter _writer = new(output, new JsonWriterOptions { SkipValidation = true });
    private readonly Lock _gate = new();

    public void Info(string? section, string status, long? count = null) => Write("Info", w =>
    {
        if (section is not null)
        {
            w.WriteString("section", section);
        }
        w.WriteString("status", status);
        if (count is { } n)
        {
            w.WriteNumber("count", n);
        }
    });

    public void Error(string? section, long line, DoppelError error) => Write("Error", w =>
    {
        if (section is not null)
        {
            w.WriteString("section", section);
        }
        if (line > 0)
        {
            w.WriteNumber("line", line);
        }
        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
    });

    private void Write(string logType, Action<Utf8JsonWriter> details)
    {
        lock (_gate)
        {
            _writer.WriteStartObject();
            _writer.WriteString("timestamp", time.GetUtcNow().UtcDateTime.ToString("O"));
            _writer.WriteString("jobId", jobId);
            _writer.WriteString("jobType", "Import");
            _writer.WriteString("logType", logType);
            _writer.WritePropertyName("details");
            _writer.WriteStartObject();
            details(_writer);
            _writer.WriteEndObject();
            _writer.WriteEndObject();
            _writer.Flush();
            output.Write("\n"u8);
            _writer.Reset();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await output.FlushAsync();
        await output.DisposeAsync();
    }
}
