using Doppel.Modeling;

namespace Doppel.Tests.Modeling;

/// <summary>No input may throw out of the parser; a fault on an unforeseen path is refused as an error, never a 500.</summary>
public sealed class ParserGuardTests
{
    private const string Extending = """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Child;1","@type":"Interface","extends":"dtmi:test:Base;1"}""";

    /// <summary>A resolver of existing models that fails, as a broken store would: a fault the parser cannot foresee.</summary>
    private sealed class FailingResolver : IModelResolver
    {
        public InterfaceModel? Resolve(Dtmi id) => throw new InvalidOperationException("the store is gone");
    }

    [Fact]
    public void A_fault_inside_the_parser_is_an_internal_error_naming_the_documents()
    {
        var result = new ModelParser().Parse([new ModelDocument("child.json", Extending)], new FailingResolver());

        var error = Assert.Single(result.Errors, e => e.Rule == "internal-error");
        Assert.Contains("child.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("the store is gone", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Interfaces);
    }

    [Fact]
    public void The_fuzz_test_sees_the_fault_itself()
    {
        var parser = new ModelParser(new ModelParserOptions { RethrowUnexpected = true });

        Assert.Throws<InvalidOperationException>(() => parser.Parse([new ModelDocument("child.json", Extending)], new FailingResolver()));
    }
}
