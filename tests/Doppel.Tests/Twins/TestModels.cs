using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Twins;

namespace Doppel.Tests.Twins;

/// <summary>Hand-built DTDL interfaces (the parser is not available to these tests) and a resolver over them.</summary>
internal sealed class TestModels : IModelResolver
{
    public static readonly Dtmi Room = new("dtmi:test:Room;1");
    public static readonly Dtmi ConferenceRoom = new("dtmi:test:ConferenceRoom;1");
    public static readonly Dtmi Thermostat = new("dtmi:test:Thermostat;1");
    public static readonly Dtmi Sensor = new("dtmi:test:Sensor;1");
    public static readonly Dtmi SmartSensor = new("dtmi:test:SmartSensor;1");
    public static readonly Dtmi Floor = new("dtmi:test:Floor;1");
    public static readonly Dtmi Bare = new("dtmi:test:Bare;1");

    public static readonly TestModels Default = CreateDefault();

    private readonly Dictionary<Dtmi, InterfaceModel> _models = [];

    public InterfaceModel? Resolve(Dtmi id) => _models.GetValueOrDefault(id);

    public TestModels Add(InterfaceModel model)
    {
        _models[model.Id] = model;
        return this;
    }

    public static PrimitiveSchema P(PrimitiveKind kind) => PrimitiveSchema.Of(kind);

    private static TestModels CreateDefault()
    {
        var thermostat = new ModelBuilder(Thermostat)
            .Property("setPoint", P(PrimitiveKind.Double))
            .Property("mode", P(PrimitiveKind.String))
            .Telemetry("temp", P(PrimitiveKind.Double))
            .Build();
        var sensor = new ModelBuilder(Sensor).Property("reading", P(PrimitiveKind.Double)).Build();
        var smartSensor = new ModelBuilder(SmartSensor).Extends(sensor).Property("firmware", P(PrimitiveKind.String)).Build();
        var floor = new ModelBuilder(Floor).Property("level", P(PrimitiveKind.Integer)).Build();
        var room = new ModelBuilder(Room)
            .Property("temperature", P(PrimitiveKind.Double))
            .Property("name", P(PrimitiveKind.String))
            .Property("occupied", P(PrimitiveKind.Boolean))
            .Property("count", P(PrimitiveKind.Integer))
            .Property("big", P(PrimitiveKind.Long))
            .Property("small", P(PrimitiveKind.Short))
            .Property("tiny", P(PrimitiveKind.Byte))
            .Property("ubyte", P(PrimitiveKind.UnsignedByte))
            .Property("ushort", P(PrimitiveKind.UnsignedShort))
            .Property("uint", P(PrimitiveKind.UnsignedInteger))
            .Property("ulong", P(PrimitiveKind.UnsignedLong))
            .Property("ratio", P(PrimitiveKind.Float))
            .Property("price", P(PrimitiveKind.Decimal))
            .Property("opened", P(PrimitiveKind.Date))
            .Property("lastSeen", P(PrimitiveKind.DateTime))
            .Property("alarm", P(PrimitiveKind.Time))
            .Property("interval", P(PrimitiveKind.Duration))
            .Property("guid", P(PrimitiveKind.Uuid))
            .Property("blob", P(PrimitiveKind.Bytes))
            .Property("location", P(PrimitiveKind.Point))
            .Property("route", P(PrimitiveKind.LineString))
            .Property("area", P(PrimitiveKind.Polygon))
            .Property("spots", P(PrimitiveKind.MultiPoint))
            .Property("routes", P(PrimitiveKind.MultiLineString))
            .Property("areas", P(PrimitiveKind.MultiPolygon))
            .Property("hvac", new EnumSchema(P(PrimitiveKind.String), [new EnumValue("Auto", "auto"), new EnumValue("Manual", "manual")]))
            .Property("priority", new EnumSchema(P(PrimitiveKind.Integer), [new EnumValue("Low", 1), new EnumValue("High", 2)]))
            .Property("tags", new MapSchema("tag", P(PrimitiveKind.String), "count", P(PrimitiveKind.Integer)))
            .Property("info", new ObjectSchema([
                new Field("city", P(PrimitiveKind.String)),
                new Field("floor", P(PrimitiveKind.Integer)),
                new Field("address", new ObjectSchema([new Field("street", P(PrimitiveKind.String))])),
            ]))
            .Property("readings", new ArraySchema(P(PrimitiveKind.Double)))
            .Telemetry("humidity", P(PrimitiveKind.Double))
            .Telemetry("status", new ObjectSchema([new Field("ok", P(PrimitiveKind.Boolean))]))
            .Command("reboot")
            .Relationship("contains", Sensor, max: 2, new PropertyDef { Name = "since", DefinedIn = Room, Schema = P(PrimitiveKind.DateTime) },
                new PropertyDef { Name = "weight", DefinedIn = Room, Schema = P(PrimitiveKind.Double) },
                new PropertyDef { Name = "labels", DefinedIn = Room, Schema = new MapSchema("k", P(PrimitiveKind.String), "v", P(PrimitiveKind.String)) })
            .Relationship("adjacentTo", Room, max: null)
            .Relationship("near", null, max: null)
            .Component("thermostat", Thermostat)
            .Build();
        var conferenceRoom = new ModelBuilder(ConferenceRoom).Extends(room).Property("capacity", P(PrimitiveKind.Integer)).Build();
        var bare = new ModelBuilder(Bare).Property("temperature", P(PrimitiveKind.String)).Build();
        return new TestModels().Add(thermostat).Add(sensor).Add(smartSensor).Add(floor).Add(room).Add(conferenceRoom).Add(bare);
    }
}

/// <summary>Builds an <see cref="InterfaceModel"/> fluently; inherited contents and ancestors come from <see cref="Extends"/>.</summary>
internal sealed class ModelBuilder(Dtmi id)
{
    private readonly Dictionary<string, Content> _contents = new(StringComparer.Ordinal);
    private readonly HashSet<Dtmi> _ancestors = [];
    private readonly List<Dtmi> _extends = [];

    public ModelBuilder Extends(InterfaceModel baseModel)
    {
        _extends.Add(baseModel.Id);
        _ancestors.Add(baseModel.Id);
        _ancestors.UnionWith(baseModel.Ancestors);
        foreach (var (name, content) in baseModel.Contents)
        {
            _contents[name] = content;
        }

        return this;
    }

    public ModelBuilder Property(string name, Schema schema) => Add(new PropertyDef { Name = name, DefinedIn = id, Schema = schema, Writable = true });

    public ModelBuilder Telemetry(string name, Schema schema) => Add(new TelemetryDef { Name = name, DefinedIn = id, Schema = schema });

    public ModelBuilder Command(string name) => Add(new CommandDef { Name = name, DefinedIn = id });

    public ModelBuilder Component(string name, Dtmi schema) => Add(new ComponentDef { Name = name, DefinedIn = id, Schema = schema });

    public ModelBuilder Relationship(string name, Dtmi? target, int? max, params PropertyDef[] properties) =>
        Add(new RelationshipDef { Name = name, DefinedIn = id, Target = target, MaxMultiplicity = max, Properties = properties });

    public InterfaceModel Build() => new()
    {
        Id = id,
        DtdlVersion = 3,
        Extends = _extends,
        Ancestors = _ancestors,
        Contents = new Dictionary<string, Content>(_contents),
        Document = JsonDocument.Parse("{}").RootElement.Clone(),
    };

    private ModelBuilder Add(Content content)
    {
        _contents[content.Name] = content;
        return this;
    }
}

/// <summary>Shared fixtures: fixed clocks, etags and twin builders.</summary>
internal static class Fx
{
    public static readonly DateTimeOffset T0 = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567);
    public static readonly DateTimeOffset T1 = T0.AddMinutes(1);
    public static readonly DateTimeOffset T2 = T0.AddMinutes(2);
    public const string E0 = "W/\"00000000-0000-0000-0000-000000000000\"";
    public const string E1 = "W/\"11111111-1111-1111-1111-111111111111\"";

    public static readonly TwinOperations Ops = new(TestModels.Default);

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>A Room PUT body with the given extra members (JSON object text without braces).</summary>
    public static JsonObject RoomBody(string members = "") =>
        Obj("""{"$metadata":{"$model":"dtmi:test:Room;1"},"thermostat":{"$metadata":{}}""" + (members.Length > 0 ? "," + members : "") + "}");

    public static TwinDocument Room(string members = "", string id = "room1", TwinOperations? ops = null)
    {
        var result = (ops ?? Ops).Create(id, RoomBody(members), T0, E0);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    public static JsonPatchDocument Patch(string json)
    {
        var result = JsonPatchDocument.Parse(json);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    public static TwinDocument Patched(TwinDocument twin, string patch, DateTimeOffset? now = null)
    {
        var result = Ops.Patch(twin, Patch(patch), now ?? T1, E1);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    public static DoppelError PatchFails(TwinDocument twin, string patch, string code)
    {
        var result = Ops.Patch(twin, Patch(patch), T1, E1);
        Assert.False(result.IsSuccess, "expected failure, got " + result.Value?.ToJsonString());
        Assert.Equal(code, result.Error.Code);
        return result.Error;
    }

    public static DoppelError CreateFails(JsonObject body, string code)
    {
        var result = Ops.Create("room1", body, T0, E0);
        Assert.False(result.IsSuccess, "expected failure, got " + result.Value?.ToJsonString());
        Assert.Equal(code, result.Error.Code);
        return result.Error;
    }

    public static string? Prop(TwinDocument twin, string name) => twin.ToJson()[name]?.ToJsonString();
}
