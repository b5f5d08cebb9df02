using System.Collections.Concurrent;
using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>
/// The network a city twin names (<c>netFile</c>): a file on the server's disk, or, when no such file is there, the
/// network of the pack's city sample by that file name. Read once per file and version.
/// </summary>
internal static class CityNetworks
{
    private static readonly ConcurrentDictionary<string, (DateTime Written, RoadNetwork Network)> Cache = new(StringComparer.Ordinal);

    public static Result<RoadNetwork> Load(string netFile)
    {
        if (File.Exists(netFile))
        {
            var full = Path.GetFullPath(netFile);
            var written = File.GetLastWriteTimeUtc(full);
            if (Cache.TryGetValue(full, out var cached) && cached.Written == written)
            {
                return Result<RoadNetwork>.Ok(cached.Network);
            }
            var read = SumoNetworkReader.Read(full);
            if (read.IsSuccess)
            {
                Cache[full] = (written, read.Value);
            }
            return read;
        }
        var name = Path.GetFileName(netFile);
        var key = "sample:" + name;
        if (Cache.TryGetValue(key, out var sample))
        {
            return Result<RoadNetwork>.Ok(sample.Network);
        }
        using var stream = typeof(MobilityPack).Assembly.GetManifestResourceStream($"Doppel.Packs.Mobility.{name}");
        if (stream is null)
        {
            return Result<RoadNetwork>.Fail("InvalidArgument", $"The city's network '{netFile}' is neither a file on the server nor the network of the city sample.");
        }
        var embedded = SumoNetworkReader.Read(stream, name);
        if (embedded.IsSuccess)
        {
            Cache[key] = (default, embedded.Value);
        }
        return embedded;
    }
}
