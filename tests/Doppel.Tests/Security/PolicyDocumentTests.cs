using Doppel.Security;

namespace Doppel.Tests.Security;

public sealed class PolicyDocumentTests
{
    private const string Yaml = """
        id: pump-devices
        description: Pumps report their own readings
        subjects: [ "key:pump-*" ]
        entries:
          - resource: telemetry
            twins: { idPrefix: "pump-" }
            grant: [ write ]
          - resource: properties
            twins: { where: "IS_OF_MODEL('dtmi:factory:Pump;1')" }
            properties: [ rpm ]
            grant: [ read, write ]
          - resource: twins
            revoke: write
        """;

    [Fact]
    public void A_YAML_policy_reads_into_entries_and_back_to_the_same_JSON()
    {
        var policy = PolicyDocument.Read(Yaml);

        Assert.True(policy.IsSuccess, policy.Error?.Message);
        Assert.Equal(["key:pump-*"], policy.Value.Subjects);
        Assert.Equal(3, policy.Value.Entries.Count);
        Assert.Equal(new TwinSelector(null, "IS_OF_MODEL('dtmi:factory:Pump;1')"), policy.Value.Entries[1].Twins);
        Assert.Equal(["rpm"], policy.Value.Entries[1].Properties!);
        Assert.Equal(Access.ReadWrite, policy.Value.Entries[1].Grant);
        Assert.Equal(Access.Write, policy.Value.Entries[2].Revoke);
        var json = PolicyDocument.ToJson(policy.Value).ToJsonString();
        var again = PolicyDocument.Read(json);
        Assert.True(again.IsSuccess, again.Error?.Message);
        Assert.Equal(json, PolicyDocument.ToJson(again.Value).ToJsonString());
    }

    [Theory]
    [InlineData("id: p\nsubjects: [ \"key:a\" ]\nentries:\n  - resource: twins\n    grnat: [ read ]\n", "line 5", "did you mean 'grant'")]
    [InlineData("id: p\nsubjects: [ \"key:a\" ]\nentries:\n  - resource: twin\n    grant: [ read ]\n", "line 4", "did you mean 'twins'")]
    [InlineData("id: p\nsubjects: [ \"key:a\" ]\nentries:\n  - resource: models\n    twins: { idPrefix: a }\n    grant: [ read ]\n", "line 5", "models do not belong to twins")]
    [InlineData("id: p\nsubjects: [ \"key:a\" ]\nentries:\n  - resource: twins\n    properties: [ rpm ]\n    grant: [ read ]\n", "line 5", "only a 'properties' entry names properties")]
    [InlineData("id: p\nsubjects: [ \"key:a\" ]\nentries:\n  - resource: twins\n", "line 4", "grants or revokes something")]
    [InlineData("id: p\nsubjects: [ \"key:a\" ]\nentries:\n  - resource: twins\n    grant: [ delete ]\n", "line 5", "'delete' is not an access")]
    [InlineData("id: p\nsubjects: [ \"key:a\" ]\nentries:\n  - resource: twins\n    twins: { where: \"rpm >\" }\n    grant: [ read ]\n", "line 5", "'where' is not a query condition")]
    [InlineData("id: p\nsubjects: [ \"role:admin\" ]\nrole: reader\n", "line 2", "names no role")]
    [InlineData("id: p\nsubjects: []\nrole: reader\n", "line 2", "one subject at least")]
    [InlineData("id: \"bad id\"\nsubjects: [ \"key:a\" ]\nrole: reader\n", "line 1", "is not a policy id")]
    [InlineData("id: p\nsubjects: [ \"key:a\" ]\n", "line 1", "needs entries, a role, or both")]
    public void A_wrong_policy_is_refused_with_its_line_and_why(string text, string line, string why)
    {
        var policy = PolicyDocument.Read(text);

        Assert.False(policy.IsSuccess);
        Assert.Contains(line, policy.Error!.Message, StringComparison.Ordinal);
        Assert.Contains(why, policy.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_address_names_the_policy_when_the_document_does_not_and_must_agree_when_it_does()
    {
        var named = PolicyDocument.Read("subjects: [ \"key:a\" ]\nrole: reader\n", "readers");
        var clash = PolicyDocument.Read("id: other\nsubjects: [ \"key:a\" ]\nrole: reader\n", "readers");

        Assert.True(named.IsSuccess, named.Error?.Message);
        Assert.Equal("readers", named.Value.Id);
        Assert.Contains("differs from the id in the address", clash.Error!.Message, StringComparison.Ordinal);
    }
}
