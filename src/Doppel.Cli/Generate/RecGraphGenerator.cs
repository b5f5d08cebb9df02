using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Modeling;

namespace Doppel.Cli.Generate;

/// <summary>
/// Writes an ADT import file (NDJSON) of a RealEstateCore v3 building portfolio: the REC interfaces, then buildings,
/// levels, rooms, equipment and sensors of real REC model ids, then the relationships REC declares between them
/// (Space.hasPart/isPartOf, Asset.locatedIn/Space.isLocationOf, hasCapability/Capability.isCapabilityOf, Capability.serves).
/// The same seed gives the same file.
/// </summary>
public sealed class RecGraphGenerator
{
    public const int LevelsPerBuilding = 10;
    public const int RoomsPerLevel = 10;

    private const string Core = "dtmi:digitaltwins:rec_3_3:core:";
    private static readonly string[] EquipmentCandidates = ["asset:FanCoilUnit;1", "asset:LightingEquipment;1", "asset:Damper;1", "asset:Meter;1", "asset:Pump;1", "asset:Equipment;1"];
    private static readonly string[] SensorCandidates = ["device:TemperatureSensor;1", "device:HumiditySensor;1", "device:OccupancySensor;1", "device:MotionSensor;1", "core:Sensor;1"];

    private readonly List<string> _modelLines;
    private readonly ModelCatalog _catalog;
    private readonly string[] _equipment;
    private readonly string[] _sensors;

    private RecGraphGenerator(List<string> modelLines, ModelCatalog catalog)
    {
        _modelLines = modelLines;
        _catalog = catalog;
        _equipment = Present(EquipmentCandidates);
        _sensors = Present(SensorCandidates);
    }

    /// <summary>Twins per building: the building, its levels, and per room the room, one equipment and two sensors.</summary>
    public static int TwinsPerBuilding => 1 + LevelsPerBuilding + (LevelsPerBuilding * RoomsPerLevel * 4);

    public static string BuildingId(int building) => $"b{building}";

    /// <summary>Loads every interface under <paramref name="modelsDirectory"/> (*.json, one interface or an array per file).</summary>
    public static Result<RecGraphGenerator> Load(string modelsDirectory)
    {
        var lines = new List<string>();
        var documents = new List<ModelDocument>();
        foreach (var file in Directory.EnumerateFiles(modelsDirectory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var parsed = Input.DocumentText.ParseJson(File.ReadAllText(file), file);
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }
            var node = parsed.Value;
            foreach (var model in node is JsonArray array ? array.ToList() : [node])
            {
                var line = model!.ToJsonString();
                lines.Add(line);
                documents.Add(new ModelDocument(file, line));
            }
        }
        var catalog = new ModelCatalog();
        var added = catalog.Add(documents, DateTimeOffset.UnixEpoch);
        if (!added.IsSuccess)
        {
            return added.Error!;
        }
        foreach (var required in new[] { "Building;1", "Level;1", "Room;1" })
        {
            if (catalog.Resolve(new Dtmi(Core + required)) is null)
            {
                return Result<RecGraphGenerator>.Fail("ModelNotFound", $"{modelsDirectory} has no {Core}{required}.");
            }
        }
        return Result<RecGraphGenerator>.Ok(new RecGraphGenerator(lines, catalog));
    }

    /// <summary>Writes the file; returns how many twins and relationships it holds.</summary>
    public (int Twins, long Relationships) Write(Stream output, int twins, int seed)
    {
        var random = new Random(seed);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        void Line(Action<Utf8JsonWriter> write)
        {
            write(writer);
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset();
        }
        void Section(string name) => Line(w => { w.WriteStartObject(); w.WriteString("Section", name); w.WriteEndObject(); });

        Section("Header");
        Line(w => { w.WriteStartObject(); w.WriteString("fileVersion", "1.0.0"); w.WriteString("author", "doppel generate rec"); w.WriteString("organization", "Doppel"); w.WriteEndObject(); });
        Section("Models");
        foreach (var model in _modelLines)
        {
            writer.Flush();
            output.Write(System.Text.Encoding.UTF8.GetBytes(model));
            output.WriteByte((byte)'\n');
        }

        var plan = Plan(twins, random);
        Section("Twins");
        foreach (var twin in plan)
        {
            Line(w => WriteTwin(w, twin));
        }
        Section("Relationships");
        long relationships = 0;
        foreach (var twin in plan)
        {
            if (twin.Parent is not { } parent)
            {
                continue;
            }
            var (down, up) = twin.Kind switch
            {
                Kind.Level or Kind.Room => ("hasPart", "isPartOf"),
                Kind.Equipment => ("isLocationOf", "locatedIn"),
                _ => ("hasCapability", "isCapabilityOf"),
            };
            Line(w => WriteRelationship(w, parent, down, twin.Id));
            Line(w => WriteRelationship(w, twin.Id, up, parent));
            relationships += 2;
            if (twin.Kind == Kind.Sensor && twin.Room is { } room && room != parent)
            {
                Line(w => WriteRelationship(w, twin.Id, "serves", room));
                relationships++;
            }
        }
        writer.Flush();
        return (plan.Count, relationships);
    }

    private enum Kind { Building, Level, Room, Equipment, Sensor }

    private sealed record PlannedTwin(string Id, Kind Kind, string Model, string? Parent, string? Room, int Number, double Value);

    private List<PlannedTwin> Plan(int count, Random random)
    {
        var plan = new List<PlannedTwin>(count);
        for (var b = 0; plan.Count < count; b++)
        {
            var building = BuildingId(b);
            plan.Add(new(building, Kind.Building, Core + "Building;1", null, null, b, 0));
            for (var l = 0; l < LevelsPerBuilding && plan.Count < count; l++)
            {
                var level = $"{building}-l{l}";
                plan.Add(new(level, Kind.Level, Core + "Level;1", building, null, l, 0));
                for (var r = 0; r < RoomsPerLevel && plan.Count < count; r++)
                {
                    var room = $"{level}-r{r}";
                    plan.Add(new(room, Kind.Room, Core + "Room;1", level, null, r, random.Next(1, 51)));
                    var equipment = $"{room}-e0";
                    Add(plan, count, new(equipment, Kind.Equipment, _equipment[random.Next(_equipment.Length)], room, room, r, random.Next(1000, 9999)));
                    Add(plan, count, new($"{room}-s0", Kind.Sensor, _sensors[0], room, room, 0, Math.Round(18 + (random.NextDouble() * 8), 2)));
                    Add(plan, count, new($"{room}-s1", Kind.Sensor, _sensors[random.Next(_sensors.Length)], equipment, room, 1, Math.Round(random.NextDouble() * 100, 2)));
                }
            }
        }
        return plan;
    }

    private static void Add(List<PlannedTwin> plan, int count, PlannedTwin twin)
    {
        if (plan.Count < count)
        {
            plan.Add(twin);
        }
    }

    private void WriteTwin(Utf8JsonWriter w, PlannedTwin twin)
    {
        var model = _catalog.Resolve(new Dtmi(twin.Model))!;
        w.WriteStartObject();
        w.WriteString("$dtId", twin.Id);
        w.WriteStartObject("$metadata");
        w.WriteString("$model", twin.Model);
        w.WriteEndObject();
        w.WriteString("name", twin.Kind switch
        {
            Kind.Building => $"Building {twin.Number}",
            Kind.Level => $"Level {twin.Number}",
            Kind.Room => $"Room {twin.Number}",
            Kind.Equipment => $"Equipment in {twin.Room}",
            _ => $"Sensor {twin.Number} of {twin.Room}",
        });
        switch (twin.Kind)
        {
            case Kind.Level when model.Contents.ContainsKey("levelNumber"):
                w.WriteNumber("levelNumber", twin.Number);
                break;
            case Kind.Room:
                w.WriteNumber("personCapacity", (int)twin.Value);
                break;
            case Kind.Equipment:
                w.WriteString("serialNumber", $"SN-{(int)twin.Value}");
                break;
            case Kind.Sensor when model.Contents.TryGetValue("lastValue", out var lastValue) && lastValue is PropertyDef { Schema: PrimitiveSchema { Kind: PrimitiveKind.Double } }:
                w.WriteNumber("lastValue", twin.Value);
                break;
        }
        // ADT requires every declared component, inherited ones too.
        foreach (var component in model.Components)
        {
            w.WriteStartObject(component.Name);
            w.WriteStartObject("$metadata");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteRelationship(Utf8JsonWriter w, string source, string name, string target)
    {
        w.WriteStartObject();
        w.WriteString("$sourceId", source);
        w.WriteString("$relationshipId", $"{name}-{target}");
        w.WriteString("$targetId", target);
        w.WriteString("$relationshipName", name);
        w.WriteEndObject();
    }

    private string[] Present(string[] candidates)
    {
        var present = candidates.Select(c => "dtmi:digitaltwins:rec_3_3:" + c).Where(id => _catalog.Resolve(new Dtmi(id)) is not null).ToArray();
        return present.Length > 0 ? present : throw new InvalidDataException($"None of {string.Join(", ", candidates)} is among the models.");
    }
}
