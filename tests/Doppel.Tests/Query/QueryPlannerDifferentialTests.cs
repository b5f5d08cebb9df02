using System.Text.Json.Nodes;
using Doppel.Query;
using Doppel.Twins;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Doppel.Tests.Query;

/// <summary>
/// Random graphs (models with inheritance, twins, relationships) and random queries: the engine planning with the graph's
/// indexes must return the same rows, in the same order, as the engine scanning every twin through the plain source.
/// </summary>
public sealed class QueryPlannerDifferentialTests
{
    private static readonly string[] Models = ["dtmi:t:A;1", "dtmi:t:B;1", "dtmi:t:C;1"];

    public sealed record Case(int[] TwinModels, int[] Xs, (int From, int To, int Name)[] Edges, string Query, int PageSize)
    {
        public override string ToString() =>
            $"{Query} (page {PageSize})\ntwins {string.Join(",", TwinModels.Select((m, i) => $"t{i}:{m}:{Xs[i]}"))}\nedges {string.Join(",", Edges.Select(e => $"{e.From}-{e.Name}->{e.To}"))}";
    }

    private static readonly string[] Templates =
    [
        "SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{M}') AND T.x = {X}",
        "SELECT * FROM DIGITALTWINS T WHERE T.x >= {X} AND STARTSWITH(T.$dtId, 't1')",
        "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('{M}', exact) OR x = {X}",
        "SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('{M}')",
        "SELECT T.$dtId FROM DIGITALTWINS T WHERE T.$dtId IN ['t{I}', 't3', 't10'] AND T.x < {X}",
        "SELECT A, B FROM DIGITALTWINS A JOIN B RELATED A.r WHERE IS_OF_MODEL(A, '{M}')",
        "SELECT A, B, R FROM DIGITALTWINS A JOIN B RELATED A.s R JOIN C RELATED B.r WHERE B.x = {X}",
        "SELECT A, B FROM DIGITALTWINS MATCH (A)-[:r|s]->(B) WHERE A.$dtId = 't{I}'",
        "SELECT A, B FROM DIGITALTWINS MATCH (A)-[*..3]-(B) WHERE B.$dtId = 't{I}'",
        "SELECT A, C FROM DIGITALTWINS MATCH (A)<-[e:r]-(B)-[:s*1..2]->(C) WHERE IS_OF_MODEL(A, '{M}')",
        "SELECT * FROM RELATIONSHIPS R WHERE R.$sourceId = 't{I}' OR R.$relationshipName = 's'",
        "SELECT COUNT() FROM RELATIONSHIPS WHERE $sourceId IN ['t{I}', 't2']",
        "SELECT T.$dtId, T.x FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{M}') ORDER BY T.x DESC, T.$dtId",
        "SELECT TOP(3) T.$dtId FROM DIGITALTWINS T ORDER BY T.x",
    ];

    private static Gen<Case> Cases =>
        from n in Gen.Choose(1, 14)
        from models in Gen.ArrayOf(Gen.Choose(0, 2), n)
        from xs in Gen.ArrayOf(Gen.Choose(0, 4), n)
        from edges in Gen.ListOf(from a in Gen.Choose(0, n - 1) from b in Gen.Choose(0, n - 1) from name in Gen.Choose(0, 1) select (a, b, name))
        from template in Gen.Elements(Templates)
        from m in Gen.Elements(Models)
        from x in Gen.Choose(0, 4)
        from i in Gen.Choose(0, 14)
        from pageSize in Gen.Choose(1, 5)
        select new Case(models, xs, [.. edges.Take(25)], template.Replace("{M}", m).Replace("{X}", x.ToString(System.Globalization.CultureInfo.InvariantCulture)).Replace("{I}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), pageSize);

    [Property(MaxTest = 300)]
    public Property Planned_rows_equal_scanned_rows() => Prop.ForAll(Arb.From(Cases), c =>
    {
        var graph = new TwinGraph();
        for (var i = 0; i < c.TwinModels.Length; i++)
        {
            graph.PutTwin(QueryGraphTests.Twin($"t{i}", Models[c.TwinModels[i]], $$"""{"x":{{c.Xs[i]}}}"""));
        }
        var k = 0;
        foreach (var (from, to, name) in c.Edges)
        {
            graph.PutRelationship(QueryGraphTests.Rel($"t{from}", $"e{k++}", $"t{to}", name == 0 ? "r" : "s"));
        }
        static IReadOnlySet<string> Subtypes(string m) => m == Models[0] ? new HashSet<string>(Models[..2]) : new HashSet<string> { m };
        var indexed = new TwinGraphQuerySource(graph, Subtypes);
        var scanned = new ScanSource(indexed);
        var expected = string.Join("\n", scanned.All(c.Query, 1000).Select(r => r.ToJsonString()));
        var actual = string.Join("\n", indexed.All(c.Query, c.PageSize).Select(r => r.ToJsonString()));
        return (expected == actual).Label($"expected\n{expected}\nactual\n{actual}");
    });

    /// <summary>The same graph without its indexes: the engine can only scan.</summary>
    private sealed class ScanSource(IQuerySource inner) : IQuerySource
    {
        public IEnumerable<JsonObject> TwinsAfter(string? afterDtId) => inner.TwinsAfter(afterDtId);

        public IReadOnlySet<string> ModelAndSubtypes(string dtmi) => inner.ModelAndSubtypes(dtmi);

        public IEnumerable<JsonObject> Relationships(string dtId) => inner.Relationships(dtId);

        public IEnumerable<JsonObject> IncomingRelationships(string dtId) => inner.IncomingRelationships(dtId);
    }
}
