using Doppel.Packs;

namespace Doppel.Tests.Packs;

/// <summary>Scenario documents, YAML or JSON, read into one node model: where each node is, and errors that say where and why.</summary>
public sealed class DocumentReaderTests
{
    [Fact]
    public void YAML_and_JSON_give_the_same_nodes_with_their_lines_and_paths()
    {
        var yaml = DocumentReader.Parse("a:\n  b: [1, 2.5]\n  c: { d: \"x\" }\n").Value!;
        var json = DocumentReader.Parse("{\"a\": {\n \"b\": [1, 2.5],\n \"c\": {\"d\": \"x\"}}}").Value!;

        foreach (var root in new[] { yaml, json })
        {
            var a = root.Map("a")!;
            Assert.Equal([1, 2.5], a.List("b")!.Numbers());
            Assert.Equal("x", a.Map("c")!.Text("d"));
            Assert.Equal("a.c.d", a.Map("c")!["d"]!.Path);
            Assert.Equal("a.b[1]", a.List("b")!.Items[1].Path);
            Assert.Equal(2, a.List("b")!.Line);
            Assert.Equal(3, a.Map("c")!["d"]!.Line);
        }
    }

    [Theory]
    [InlineData("a: 1\na: 2\n", "line 2")]
    [InlineData("{\"a\": 1,\n \"a\": 2}", "line 2, a: the key 'a' is given twice")]
    [InlineData("{\"a\": [1,\n 2", "line 2")]
    [InlineData("a: [1, 2\n", "line 2")]
    [InlineData("", "line 1: the document is empty")]
    [InlineData("- 1\n- 2\n", "line 1: the document must be a mapping of keys to values at its top")]
    [InlineData("[1, 2]", "line 1: the document must be a mapping of keys to values at its top")]
    public void A_malformed_document_is_refused_with_its_line(string text, string expected)
    {
        var parsed = DocumentReader.Parse(text);

        Assert.False(parsed.IsSuccess);
        Assert.Contains(expected, parsed.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n: .nan")]
    [InlineData("n: NaN")]
    [InlineData("n: Infinity")]
    [InlineData("n: 1e400")]
    [InlineData("{\"n\": 1e400}")]
    [InlineData("n: twelve")]
    public void Only_finite_numbers_are_numbers(string text)
    {
        var read = DocumentReader.Read(text, root => root.Number("n"));

        Assert.False(read.IsSuccess);
        Assert.Contains("line 1, n: ", read.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("is not a number", read.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_written_as_null_is_a_missing_key_and_a_required_one_says_what_it_holds()
    {
        var read = DocumentReader.Read("a: null\nb: ~\n", root => (root.Text("a"), root.Number("b"), root.Contains("a")));
        var required = DocumentReader.Read("a: null\n", root => root.Required("a", "the thing to do"));

        Assert.Equal((null, null, true), read.Value);
        Assert.Equal("line 1: 'a' (the thing to do) is required", required.Error!.Message);
    }
}
