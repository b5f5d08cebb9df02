using System.Text.Json.Nodes;
using Doppel.Security;

namespace Doppel.Tests.Security;

public sealed class AccessRulesTests
{
    private const string Pump = "dtmi:factory:Pump;1";
    private const string Valve = "dtmi:factory:Valve;1";

    private static readonly TwinView Pump1 = Twin("pump-1", Pump, new JsonObject { ["line"] = "A", ["rpm"] = 1450, ["serial"] = "X1" });
    private static readonly TwinView Pump2 = Twin("pump-2", Pump, new JsonObject { ["line"] = "B", ["rpm"] = 900 });
    private static readonly TwinView Valve1 = Twin("valve-1", Valve, new JsonObject { ["line"] = "A" });

    [Theory]
    [InlineData(Role.Owner, Resource.Policies, Access.Write, true)]
    [InlineData(Role.Owner, Resource.Audit, Access.Read, true)]
    [InlineData(Role.Writer, Resource.Twins, Access.Write, true)]
    [InlineData(Role.Writer, Resource.Simulations, Access.Write, true)]
    [InlineData(Role.Writer, Resource.Keys, Access.Read, false)]
    [InlineData(Role.Writer, Resource.Policies, Access.Write, false)]
    [InlineData(Role.Reader, Resource.Twins, Access.Read, true)]
    [InlineData(Role.Reader, Resource.Twins, Access.Write, false)]
    [InlineData(Role.Reader, Resource.Telemetry, Access.Write, false)]
    [InlineData(Role.Reader, Resource.Audit, Access.Read, false)]
    [InlineData(Role.None, Resource.Twins, Access.Read, false)]
    [InlineData(Role.None, Resource.Models, Access.Read, false)]
    public void Roles_grant_what_ADTs_data_plane_roles_grant(Role role, Resource resource, Access access, bool allowed)
    {
        var rules = Compile(new Subject("key:k", role));

        Assert.Equal(allowed, rules.Allows(resource, access));
        Assert.Equal(allowed && resource.BelongsToTwins(), resource.BelongsToTwins() && rules.AllowsEverywhere(resource, access));
    }

    [Fact]
    public void A_device_policy_grants_telemetry_to_its_own_twins_only()
    {
        var policy = new Policy("pumps", ["key:pump-*"], [new PolicyEntry(Resource.Telemetry, Access.Write, Access.None) { Twins = new TwinSelector("pump-1", null) }]);
        var rules = Compile(new Subject("key:pump-7", Role.None), policy);

        Assert.True(rules.Allows(Resource.Telemetry, Access.Write, Pump1));
        Assert.False(rules.Allows(Resource.Telemetry, Access.Write, Pump2));
        Assert.False(rules.Allows(Resource.Twins, Access.Read, Pump1));
        Assert.True(rules.Allows(Resource.Telemetry, Access.Write)); // on some twin: the gate lets it try
        Assert.False(rules.AllowsEverywhere(Resource.Telemetry, Access.Write));
        Assert.False(Compile(new Subject("key:valve-7", Role.None), policy).Allows(Resource.Telemetry, Access.Write));
    }

    [Fact]
    public void A_revocation_wins_over_the_role_and_selects_twins_by_query()
    {
        var policy = new Policy("no-valves", ["role:writer"], [new PolicyEntry(Resource.Twins, Access.None, Access.Write) { Twins = new TwinSelector(null, $"IS_OF_MODEL('{Valve}') OR line = 'B'") }]);
        var rules = Compile(new Subject("oidc:bob", Role.Writer), policy);

        Assert.True(rules.Allows(Resource.Twins, Access.Write, Pump1));
        Assert.False(rules.Allows(Resource.Twins, Access.Write, Pump2));
        Assert.False(rules.Allows(Resource.Twins, Access.Write, Valve1));
        Assert.True(rules.Allows(Resource.Twins, Access.Read, Valve1));
        Assert.False(rules.AllowsEverywhere(Resource.Twins, Access.Write));
        Assert.True(rules.AllowsEverywhere(Resource.Twins, Access.Read));
        // Rights on a twin include its properties, and so does their revocation.
        Assert.False(rules.AllowsProperty(Access.Write, Valve1, "line"));
        Assert.True(rules.AllowsProperty(Access.Write, Pump1, "line"));
    }

    [Fact]
    public void Single_properties_are_granted_and_hidden_by_name()
    {
        var policy = new Policy("rpm-only", ["key:sensor"],
        [
            new PolicyEntry(Resource.Properties, Access.Write, Access.None) { Twins = new TwinSelector("pump-", null), Properties = ["rpm"] },
            new PolicyEntry(Resource.Twins, Access.Read, Access.None),
            new PolicyEntry(Resource.Properties, Access.None, Access.Read) { Properties = ["serial"] },
        ]);
        var rules = Compile(new Subject("key:sensor", Role.None), policy);

        Assert.True(rules.AllowsProperty(Access.Write, Pump1, "rpm"));
        Assert.False(rules.AllowsProperty(Access.Write, Pump1, "line"));
        Assert.False(rules.AllowsProperty(Access.Write, Valve1, "rpm"));
        Assert.True(rules.AllowsProperty(Access.Read, Pump1, "rpm"));
        Assert.False(rules.AllowsProperty(Access.Read, Pump1, "serial"));
        Assert.True(rules.MayHideProperties);
        Assert.Equal(["serial"], rules.HideableProperties!);
        Assert.True(rules.Hides(Pump1, "serial"));
        Assert.False(rules.Hides(Pump1, "rpm"));
        Assert.False(Compile(new Subject("key:other", Role.Reader), policy).MayHideProperties);
    }

    [Fact]
    public void A_policy_can_raise_a_role_and_grant_platform_collections()
    {
        var raise = new Policy("ops", ["oidc:carol"], [new PolicyEntry(Resource.Audit, Access.Read, Access.None)]) { Role = Role.Writer };
        var rules = Compile(new Subject("oidc:carol", Role.Reader), raise);

        Assert.Equal(Role.Writer, rules.Role);
        Assert.True(rules.Allows(Resource.Twins, Access.Write));
        Assert.True(rules.Allows(Resource.Audit, Access.Read));
        Assert.False(rules.Allows(Resource.Keys, Access.Read));
        Assert.Equal(Role.Owner, Compile(new Subject("oidc:carol", Role.Owner), raise).Role); // never lowered
    }

    [Fact]
    public void Properties_cannot_be_checked_as_a_twin_resource()
    {
        var rules = Compile(new Subject("anonymous", Role.Owner));

        Assert.Throws<ArgumentException>(() => rules.Allows(Resource.Properties, Access.Read, Pump1));
    }

    private static AccessRules Compile(Subject subject, params Policy[] policies) =>
        AccessRules.Compile(subject, policies, dtmi => new HashSet<string>(StringComparer.Ordinal) { dtmi });

    private static TwinView Twin(string id, string model, JsonObject properties)
    {
        properties["$dtId"] = id;
        properties["$metadata"] = new JsonObject { ["$model"] = model };
        return new TwinView(id, properties);
    }
}
