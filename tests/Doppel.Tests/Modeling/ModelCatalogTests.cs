using Doppel.Modeling;
using static Doppel.Tests.Modeling.Dtdl;

namespace Doppel.Tests.Modeling;

public sealed class ModelCatalogTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static Dtmi D(string name) => new($"dtmi:com:example:{name};1");

    private static ModelDocument Doc(string name, string contents = "", string extends = "") =>
        new(name, V3(D(name).Value, contents, extends.Length == 0 ? "" : $$""", "extends": "{{D(extends).Value}}" """));

    /// <summary>Entity &lt;- Space &lt;- Room; Room has a Sensor component and a Relationship to Entity.</summary>
    private static ModelCatalog Seeded()
    {
        var catalog = new ModelCatalog();
        var r = catalog.Add(
        [
            Doc("Entity"),
            Doc("Space", extends: "Entity"),
            Doc("Room", """{ "@type": "Component", "name": "sensor", "schema": "dtmi:com:example:Sensor;1" }, { "@type": "Relationship", "name": "near", "target": "dtmi:com:example:Thing;1" }""", "Space"),
            Doc("Sensor"),
            Doc("Thing"),
        ], Now);
        Assert.True(r.IsSuccess, r.Error?.ToString());
        return catalog;
    }

    [Fact]
    public void Add_stores_entries_with_the_given_time()
    {
        var catalog = Seeded();
        Assert.Equal(5, catalog.Count);
        var room = catalog.Get(D("Room"))!;
        Assert.Equal(Now, room.UploadTime);
        Assert.False(room.Decommissioned);
        Assert.Same(room.Model, catalog.Resolve(D("Room")));
    }

    [Fact]
    public void Add_is_all_or_nothing_and_reports_every_error_as_a_detail()
    {
        var catalog = Seeded();
        var r = catalog.Add([Doc("Good"), new ModelDocument("bad.json", V3(D("Bad").Value, """{ "@type": "Telemetry", "name": "t", "schema": "nope" }, { "@type": "Telemetry", "name": "u" }"""))], Now);

        Assert.False(r.IsSuccess);
        Assert.Equal("DTDLParserError", r.Error.Code);
        Assert.Equal(2, r.Error.Details.Count);
        Assert.Contains(r.Error.Details, d => d.Message.StartsWith("bad.json $.contents[0].schema: unknown-schema:", StringComparison.Ordinal));
        Assert.Null(catalog.Get(D("Good")));
        Assert.Equal(5, catalog.Count);
    }

    [Fact]
    public void Adding_an_existing_id_or_the_same_id_twice_is_ModelAlreadyExists()
    {
        var catalog = Seeded();
        Assert.Equal("ModelAlreadyExists", catalog.Add([Doc("Room")], Now).Error!.Code);
        Assert.Equal("DTDLParserError", catalog.Add([Doc("New"), Doc("New")], Now).Error!.Code); // duplicate-id within a batch is a model error
        Assert.Equal(5, catalog.Count);
    }

    [Fact]
    public void New_models_may_extend_and_reference_models_already_in_the_catalog()
    {
        var catalog = Seeded();
        var r = catalog.Add([Doc("Office", extends: "Room")], Now);
        Assert.True(r.IsSuccess, r.Error?.ToString());
        Assert.Contains("sensor", catalog.Get(D("Office"))!.Model.Contents.Keys);
    }

    [Fact]
    public void Decommission_marks_the_entry_and_unknown_ids_are_ModelNotFound()
    {
        var catalog = Seeded();
        Assert.True(catalog.Decommission(D("Thing")).Value!.Decommissioned);
        Assert.True(catalog.Get(D("Thing"))!.Decommissioned);
        Assert.Equal("ModelNotFound", catalog.Decommission(D("Nope")).Error!.Code);
    }

    [Fact]
    public void Delete_is_refused_while_a_model_extends_it_or_uses_it_as_a_component()
    {
        var catalog = Seeded();

        var extended = catalog.Delete(D("Space"));
        Assert.Equal("ModelReferencesNotDeleted", extended.Error!.Code);
        Assert.Contains("dtmi:com:example:Room;1 extends it", extended.Error.Message, StringComparison.Ordinal);

        var component = catalog.Delete(D("Sensor"));
        Assert.Equal("ModelReferencesNotDeleted", component.Error!.Code);
        Assert.Contains("component 'sensor'", component.Error.Message, StringComparison.Ordinal);

        Assert.True(catalog.Delete(D("Thing")).IsSuccess); // a relationship target does not block deletion
        Assert.True(catalog.Delete(D("Room")).IsSuccess);
        Assert.True(catalog.Delete(D("Space")).IsSuccess);
        Assert.Equal("ModelNotFound", catalog.Delete(D("Space")).Error!.Code);
    }

    [Fact]
    public void List_with_dependenciesFor_returns_the_models_and_everything_they_depend_on()
    {
        var catalog = Seeded();
        Assert.Equal(5, catalog.List().Count);

        var deps = catalog.List([D("Room")]).Select(e => e.Model.Id.Value).Order().ToList();
        Assert.Equal(["dtmi:com:example:Entity;1", "dtmi:com:example:Room;1", "dtmi:com:example:Sensor;1", "dtmi:com:example:Space;1", "dtmi:com:example:Thing;1"], deps);
        Assert.Equal(["dtmi:com:example:Entity;1"], catalog.List([D("Entity"), D("Unknown")]).Select(e => e.Model.Id.Value));
    }

    [Fact]
    public void SelfAndDescendants_includes_transitive_subtypes_and_follows_changes()
    {
        var catalog = Seeded();
        Assert.Equal([D("Entity"), D("Room"), D("Space")], catalog.SelfAndDescendants(D("Entity")).Order());
        Assert.Same(catalog.SelfAndDescendants(D("Entity")), catalog.SelfAndDescendants(D("Entity")));

        Assert.True(catalog.Add([Doc("Office", extends: "Room")], Now).IsSuccess);
        Assert.Contains(D("Office"), catalog.SelfAndDescendants(D("Entity")));
        Assert.Equal([D("Unknown")], catalog.SelfAndDescendants(D("Unknown")));
    }

    [Fact]
    public void Restore_reloads_stored_models_with_their_times_and_flags()
    {
        var later = Now.AddDays(1);
        var catalog = new ModelCatalog();
        var r = catalog.Restore([(V3(D("Room").Value, extra: $$""", "extends": "{{D("Space").Value}}" """), later, true), (V3(D("Space").Value), Now, false)]);

        Assert.True(r.IsSuccess, r.Error?.ToString());
        Assert.Equal(later, catalog.Get(D("Room"))!.UploadTime);
        Assert.True(catalog.Get(D("Room"))!.Decommissioned);
        Assert.False(catalog.Get(D("Space"))!.Decommissioned);
    }

    [Fact]
    public async Task Readers_see_consistent_snapshots_while_writers_add_concurrently()
    {
        var catalog = Seeded();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                Assert.True(catalog.Add([Doc($"Sub{i}", extends: "Room")], Now).IsSuccess);
            }
        });
        while (!writer.IsCompleted)
        {
            var set = catalog.SelfAndDescendants(D("Space"));
            Assert.All(set, id => Assert.NotNull(catalog.Get(id)));
        }

        await writer;
        Assert.Equal(53, catalog.SelfAndDescendants(D("Entity")).Count);
    }
}
