using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Analytics.Rul;

namespace Doppel.IntegrationTests.Support;

/// <summary>
/// A small turbofan world for predictor tests: a DTDL model with the contract's 24 channels, <c>cycle</c> and the RUL
/// outputs, a slice of C-MAPSS FD001 (tests/Doppel.IntegrationTests/Data/cmapss), and one predictor trained on it once.
/// </summary>
internal static class Turbofans
{
    public static readonly string[] Channels =
        ["altitude", "mach", "throttle", "t2", "t24", "t30", "t50", "p2", "p15", "p30", "nf", "nc", "epr", "ps30", "phi", "nrf", "nrc", "bpr", "farB", "htBleed", "nfDmd", "pcnfrDmd", "w31", "w32"];

    private static readonly Lazy<byte[]> Trained = new(() =>
    {
        var units = CmapssData.Read(new StringReader(TrainText), "train_FD001_units1-10.txt");
        var predictor = RulTrainer.Train(units.Value!, new RulTrainingOptions { Kind = "gbt", Seed = 1 });
        using var buffer = new MemoryStream();
        predictor.Save(buffer);
        return buffer.ToArray();
    });

    public static string DataPath(string file) => Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Data", "cmapss", file);

    public static string TrainText => File.ReadAllText(DataPath("train_FD001_units1-10.txt"));

    /// <summary>A predictor file trained on the ten training units (gbt, seed 1), made once per test run.</summary>
    public static byte[] PredictorFile => Trained.Value;

    /// <summary>The model: the 24 channels and cycle as telemetry; with <paramref name="outputs"/>, rul, rulLower, rulUpper and rulPredictor.</summary>
    public static string Model(string id, bool outputs = true)
    {
        var contents = new JsonArray();
        foreach (var channel in Channels)
        {
            contents.Add(new JsonObject { ["@type"] = "Telemetry", ["name"] = channel, ["schema"] = "double" });
        }
        contents.Add(new JsonObject { ["@type"] = "Telemetry", ["name"] = "cycle", ["schema"] = "integer" });
        if (outputs)
        {
            foreach (var name in new[] { "rul", "rulLower", "rulUpper" })
            {
                contents.Add(new JsonObject { ["@type"] = "Property", ["name"] = name, ["schema"] = "double" });
            }
            contents.Add(new JsonObject { ["@type"] = "Property", ["name"] = "rulPredictor", ["schema"] = "string" });
        }
        var model = new JsonObject { ["@context"] = "dtmi:dtdl:context;3", ["@id"] = id, ["@type"] = "Interface", ["contents"] = contents };
        return model.ToJsonString();
    }

    /// <summary>The rows of one unit of a C-MAPSS file: (cycle, 24 values).</summary>
    public static List<(int Cycle, double[] Values)> Unit(string file, int unit) =>
        [.. File.ReadLines(DataPath(file))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length == 26 && cells[0] == unit.ToString(CultureInfo.InvariantCulture))
            .Select(cells => (int.Parse(cells[1], CultureInfo.InvariantCulture), cells[2..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()))];

    /// <summary>A whole second <paramref name="daysAgo"/> days ago: cycles are sent from there, one a minute.</summary>
    public static DateTimeOffset Start(int daysAgo)
    {
        var now = DateTimeOffset.UtcNow.AddDays(-daysAgo);
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>One cycle as a telemetry message, at a source time one minute per cycle after <paramref name="start"/>.</summary>
    public static string Message(int cycle, double[] values, DateTimeOffset start)
    {
        var message = new JsonObject { ["cycle"] = cycle };
        for (var i = 0; i < Channels.Length; i++)
        {
            message[Channels[i]] = values[i];
        }
        message["$sourceTime"] = start.AddMinutes(cycle).UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return message.ToJsonString();
    }
}
