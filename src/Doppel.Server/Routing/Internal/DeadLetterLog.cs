using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Events;

namespace Doppel.Server.Routing.Internal;

/// <summary>
/// One endpoint's dead letters, appended as NDJSON lines to <c>deadletters/{endpoint}.ndjson</c> under the data folder: an
/// append-only file that survives restarts and can be read or replayed with ordinary tools.
/// </summary>
internal sealed class DeadLetterLog
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private long _count;

    public DeadLetterLog(string folder, string endpoint)
    {
        _path = Path.Combine(folder, endpoint + ".ndjson");
        _count = File.Exists(_path) ? File.ReadLines(_path).LongCount(l => l.Length > 0) : 0;
    }

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Appends and flushes one dead letter: the CloudEvent with why and when it was given up.</summary>
    public void Append(TwinEvent e, string source, string endpoint, string routeId, int attempts, string reason, string lastError, DateTimeOffset time)
    {
        var line = new JsonObject
        {
            ["time"] = time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["endpoint"] = endpoint,
            ["routeId"] = routeId,
            ["reason"] = reason,
            ["attempts"] = attempts,
            ["lastError"] = lastError,
            ["event"] = JsonNode.Parse(CloudEventJson.ToUtf8(e, source)),
        }.ToJsonString() + "\n";
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                file.Write(Encoding.UTF8.GetBytes(line));
                file.Flush(flushToDisk: true);
            }
            _count++;
        }
    }

    /// <summary>Up to <paramref name="count"/> dead letters from the <paramref name="skip"/>-th on, oldest first, and whether more follow.</summary>
    public (List<JsonNode> Items, bool More) Read(long skip, int count)
    {
        var items = new List<JsonNode>(count);
        lock (_gate)
        {
            if (!File.Exists(_path))
            {
                return (items, false);
            }
            long index = 0;
            foreach (var line in File.ReadLines(_path))
            {
                if (line.Length == 0 || index++ < skip)
                {
                    continue;
                }
                if (items.Count == count)
                {
                    return (items, true);
                }
                try
                {
                    items.Add(JsonNode.Parse(line)!);
                }
                catch (JsonException)
                {
                    // A line torn by a crash mid-append is skipped, not fatal.
                }
            }
        }
        return (items, false);
    }

    public void Delete()
    {
        lock (_gate)
        {
            if (File.Exists(_path))
            {
                File.Delete(_path);
            }
            _count = 0;
        }
    }
}
