using System.Diagnostics;
using System.Globalization;
using System.Xml;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>One vehicle of SUMO's tripinfo output.</summary>
internal sealed record SumoTrip(string Id, double Depart, double Arrival, double Duration, double TimeLoss, double DepartDelay, double WaitingTime);

/// <summary>Runs SUMO itself (the <c>sumo</c> on the PATH, or under <c>SUMO_HOME/bin</c>) and reads its tripinfo.</summary>
internal static class SumoRuns
{
    public static async Task<Result<IReadOnlyList<SumoTrip>>> RunAsync(string net, IReadOnlyList<string> routes, IReadOnlyList<string> additional, ulong seed, double? end, CancellationToken ct)
    {
        var sumo = Find();
        if (sumo is null)
        {
            return Result<IReadOnlyList<SumoTrip>>.Fail("Unavailable", "SUMO is not installed: no 'sumo' on the PATH or in $SUMO_HOME/bin (Debian: apt-get install sumo sumo-tools).");
        }
        var folder = Path.Combine(Path.GetTempPath(), "doppel-sumo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var tripinfo = Path.Combine(folder, "tripinfo.xml");
            var start = new ProcessStartInfo(sumo) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-n", Path.GetFullPath(net), "-r", string.Join(",", routes.Select(Path.GetFullPath)), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--tripinfo-output", tripinfo, "--no-step-log", "true", "--no-warnings", "true" })
            {
                start.ArgumentList.Add(argument);
            }
            if (additional.Count > 0)
            {
                start.ArgumentList.Add("-a");
                start.ArgumentList.Add(string.Join(",", additional.Select(Path.GetFullPath)));
            }
            if (end is { } e)
            {
                start.ArgumentList.Add("--end");
                start.ArgumentList.Add(e.ToString(CultureInfo.InvariantCulture));
            }
            start.Environment["SUMO_HOME"] = Environment.GetEnvironmentVariable("SUMO_HOME") ?? "/usr/share/sumo";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            try
            {
                await process.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            await output;
            var message = await error;
            if (process.ExitCode != 0)
            {
                return Result<IReadOnlyList<SumoTrip>>.Fail("SumoFailed", $"SUMO exited with {process.ExitCode}: {message.Trim()}");
            }
            return Result<IReadOnlyList<SumoTrip>>.Ok(ReadTripInfo(tripinfo));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<SumoTrip> ReadTripInfo(string path)
    {
        var trips = new List<SumoTrip>();
        using var reader = XmlReader.Create(path);
        while (reader.ReadToFollowing("tripinfo"))
        {
            double Number(string name) => double.Parse(reader.GetAttribute(name) ?? "NaN", CultureInfo.InvariantCulture);
            trips.Add(new SumoTrip(reader.GetAttribute("id") ?? "", Number("depart"), Number("arrival"), Number("duration"), Number("timeLoss"), Number("departDelay"), Number("waitingTime")));
        }
        return trips;
    }

    private static string? Find()
    {
        var home = Environment.GetEnvironmentVariable("SUMO_HOME");
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "sumo"));
        if (home is not null)
        {
            candidates = candidates.Prepend(Path.Combine(home, "bin", "sumo"));
        }
        return candidates.FirstOrDefault(File.Exists);
    }
}
