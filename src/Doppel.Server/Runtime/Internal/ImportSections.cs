using System.Text;
using System.Text.Json;

namespace Doppel.Server.Runtime.Internal;

/// <summary>
/// Reads an import file (ADT's NDJSON format) in file order: the header, then Models, Twins and Relationships sections,
/// each started by a marker line (<c>{"Section": "Twins"}</c>). Blank lines are skipped anywhere; line numbers are the
/// file's, counted from 1. Models are gathered and imported as one set at the section's end; twins and relationships go
/// to <see cref="ImportCommit"/> a chunk at a time, the next chunk's validation overlapping the previous one's commit.
/// </summary>
internal sealed class ImportSections(Utf8LineReader reader, ImportCommit commit, ImportJob job, ImportLog log)
{
    private const int ChunkSize = 8192;

    private readonly List<(long Line, string Text)> _modelLines = [];

    // One buffer for the whole job: a chunk's lines are only read while it is validated, before the next is filled.
    private readonly LineChunk _chunk = new(ChunkSize);

    private long _lineNumber;
    private Task _committing = Task.CompletedTask;

    /// <summary>Reads the whole file; returns the error that fails the job (a missing or bad header, an unknown section), or null.</summary>
    public async Task<DoppelError?> ReadAsync(CancellationToken ct)
    {
        if (!await NextLineAsync(ct) || SectionName(reader.Current.Span) != "Header")
        {
            return new DoppelError("InvalidArgument", $"Line {Math.Max(_lineNumber, 1)}: an import file must start with {{\"Section\": \"Header\"}}.");
        }
        var header = await NextLineAsync(ct) ? Encoding.UTF8.GetString(reader.Current.Span) : null;
        if (ParseHeader(header) is { } headerError)
        {
            return new DoppelError("InvalidArgument", $"Line {_lineNumber}: {headerError}");
        }
        try
        {
            return await ReadSectionsAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try
            {
                await _committing;
            }
            catch (OperationCanceledException)
            {
            }
            throw;
        }
    }

    /// <summary>The next line that is not blank; false at the end of the file.</summary>
    private async Task<bool> NextLineAsync(CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct))
        {
            _lineNumber++;
            if (!IsBlank(reader.Current.Span))
            {
                return true;
            }
        }
        return false;
    }

    private async Task<DoppelError?> ReadSectionsAsync(CancellationToken ct)
    {
        var section = "Header";
        while (await NextLineAsync(ct))
        {
            if (SectionName(reader.Current.Span) is { } next)
            {
                if (next is not ("Models" or "Twins" or "Relationships"))
                {
                    return new DoppelError("InvalidArgument", $"Line {_lineNumber}: unknown section '{next}'; expected Models, Twins or Relationships.");
                }
                await EndSectionAsync(section, ct);
                log.Info(next, "Started");
                section = next;
                continue;
            }
            switch (section)
            {
                case "Models":
                    _modelLines.Add((_lineNumber, Encoding.UTF8.GetString(reader.Current.Span)));
                    break;
                case "Twins" or "Relationships":
                    _chunk.Add(_lineNumber, reader.Current.Span);
                    if (_chunk.Count == ChunkSize)
                    {
                        _committing = await commit.ChunkAsync(section, _chunk, _committing, ct);
                        _chunk.Clear();
                    }
                    break;
                default:
                    commit.Fail("Header", _lineNumber, new DoppelError("InvalidArgument", "Only one header object is allowed; line skipped."));
                    break;
            }
        }
        await EndSectionAsync(section, ct);
        return null;
    }

    /// <summary>Finishes a section: imports the gathered models, or commits the last chunk; waits until it is durable.</summary>
    private async Task EndSectionAsync(string section, CancellationToken ct)
    {
        // A job cancelled while it waited for input (a slow download, a pipe) stops here rather than reporting success.
        ct.ThrowIfCancellationRequested();
        switch (section)
        {
            case "Models":
                await _committing;
                var count = await commit.ModelsAsync(_modelLines, ct);
                _modelLines.Clear();
                log.Info(section, "Succeeded", count);
                break;
            case "Twins" or "Relationships":
                if (_chunk.Count > 0)
                {
                    _committing = await commit.ChunkAsync(section, _chunk, _committing, ct);
                    _chunk.Clear();
                }
                await _committing;
                log.Info(section, "Succeeded", section == "Twins" ? job.TwinsImported : job.RelationshipsImported);
                break;
            default:
                await _committing;
                break;
        }
    }

    /// <summary>Whether a line is empty or white space only (as <see cref="string.IsNullOrWhiteSpace"/> would say of it decoded).</summary>
    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b >= 0x80)
            {
                return string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line));
            }
            if (!char.IsWhiteSpace((char)b))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>As <see cref="SectionName(string)"/>; decodes only a line that could be a marker.</summary>
    private static string? SectionName(ReadOnlySpan<byte> line)
    {
        // A marker has at most 64 UTF-16 characters: as many bytes when the line is ASCII (nearly every line), at most 192 otherwise.
        if (line.Length > 192 || (line.Length > 64 && Ascii.IsValid(line)))
        {
            return null;
        }
        return SectionName(Encoding.UTF8.GetString(line));
    }

    /// <summary>The section a marker line names ({"Section": "Twins"}), or null when the line is not a marker.</summary>
    private static string? SectionName(string line)
    {
        if (line.Length > 64 || !line.Contains("Section", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.Equals("Section", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                {
                    var name = property.Value.GetString()!;
                    return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..].ToLowerInvariant();
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    private static string? ParseHeader(string? line)
    {
        if (line is null)
        {
            return "the header object {\"fileVersion\": \"1.0.0\", ...} is missing.";
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("fileVersion", out var version) || version.ValueKind != JsonValueKind.String)
            {
                return "the header must be an object with a string 'fileVersion' (e.g. {\"fileVersion\": \"1.0.0\", \"author\": \"...\", \"organization\": \"...\"}).";
            }
            return version.GetString() is "1.0.0" ? null : $"fileVersion '{version.GetString()}' is not supported; use 1.0.0.";
        }
        catch (JsonException e)
        {
            var notJson = ImportLine.NotJson(Encoding.UTF8.GetBytes(line), e);
            return "the header is " + char.ToLowerInvariant(notJson[0]) + notJson[1..];
        }
    }
}
