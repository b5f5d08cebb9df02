using Doppel.Twins;

namespace Doppel.Tests.Twins;

public sealed class JsonPatchDocumentTests
{
    [Fact]
    public void Parse_reads_add_replace_and_remove()
    {
        var patch = JsonPatchDocument.Parse("""[{"op":"add","path":"/a","value":1},{"op":"replace","path":"/b","value":null},{"op":"remove","path":"/c"}]""").Value!;
        Assert.Equal(["add", "replace", "remove"], patch.Operations.Select(o => o.Op));
        Assert.Null(patch.Operations[1].Value);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/a","value":1}""", "array")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""[{"op":"add","path":"/a","value":1},{"op":"move","from":"/a","path":"/b"}]""", "Operation 1")]
    [InlineData("""[{"op":"test","path":"/a","value":1}]""", "'test'")]
    [InlineData("""[{"op":"copy","from":"/a","path":"/b"}]""", "Operation 0")]
    [InlineData("""[{"op":"add","path":"/a"}]""", "requires a 'value'")]
    [InlineData("""[{"op":"replace","path":"/a"}]""", "requires a 'value'")]
    [InlineData("""[{"path":"/a","value":1}]""", "'op'")]
    [InlineData("""[{"op":"add","value":1}]""", "'path'")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""", "JSON Pointer")]
    [InlineData("""[{"op":"add","path":"/a~2","value":1}]""", "JSON Pointer")]
    [InlineData("""[1]""", "object")]
    public void Parse_refuses_what_ADT_refuses_with_JsonPatchInvalid(string json, string hint)
    {
        var result = JsonPatchDocument.Parse(json);
        Assert.Equal("JsonPatchInvalid", result.Error?.Code);
        Assert.Contains(hint, result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_patch_is_valid() => Assert.Empty(JsonPatchDocument.Parse("[]").Value!.Operations);
}
