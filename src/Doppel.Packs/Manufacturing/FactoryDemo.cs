namespace Doppel.Packs.Manufacturing;

/// <summary>
/// <c>doppel demo factory</c> (the default demo): the sample factory made live. Devices publish the machines'
/// temperatures, and the line's controller, played by a simulation of the line itself (<see cref="LineController"/>),
/// reports buffer levels, machine states, cycle times and throughput, so that the twin can be queried, watched and
/// forked into what-if simulations.
/// </summary>
public sealed class FactoryDemo : IPackDemo
{
    public const string LineId = "line-1";

    public string Name => "factory";

    public string Description => "The sample factory live: machines publishing temperatures and the line's controller (a simulation of the line) reporting over MQTT.";

    public string Sample => ManufacturingPack.SampleName;

    public bool IsDefault => true;

    public Task<Result<DemoSession>> StartAsync(DemoContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The controller simulates the line as its twins define it, from the state they last reported.
        var read = LineTwins.Read(context.Graph, LineId);
        var layout = LineTwins.Layout(context.Graph, LineId);
        if (!read.IsSuccess || !layout.IsSuccess)
        {
            return Task.FromResult(Result<DemoSession>.Fail(read.Error ?? layout.Error!));
        }
        var controller = new LineController(LineId, read.Value.Line, layout.Value, read.Value.State, context.Speed, context.Seed, context.Time);
        var devices = layout.Value.StationIds.Except(controller.ThermalStations).Select(s => new SimulatedDevice(s, ["temperature"])).ToList();
        // The scenario file's what-ifs when it is at hand (run from the repository), else the fork alone.
        string[] simulate = ScenarioFile() is { } file ? ["simulate", file, "--twin", LineId] : ["simulate", "--twin", LineId];
        var session = new DemoSession(
            $"the sample factory ({LineId}: {string.Join(" → ", layout.Value.StationIds)}) is live.",
            [
                ["query", "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:doppel:manufacturing:Station;1')"],
                ["watch", "--twin", "weld"],
                simulate,
            ],
            async token =>
            {
                await using var link = await context.ConnectAsync($"{LineId}-controller", token);
                await Task.WhenAll(context.SimulateDevicesAsync(devices, token), controller.RunAsync(link, TimeSpan.FromSeconds(0.5), token));
            });
        return Task.FromResult(Result<DemoSession>.Ok(session));
    }

    /// <summary>samples/factory/line.yaml of the repository the program runs in (from its root or a folder below), by its full path.</summary>
    private static string? ScenarioFile()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "samples", "factory", "line.yaml");
            if (File.Exists(file))
            {
                return file;
            }
        }
        return null;
    }
}
