using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Query;
using Doppel.Twins;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Doppel.Tests.Query;

/// <summary>
/// Random graphs (models with inheritance, twins whose <c>x</c> is missing, null, a boolean, a number, a string, an array or an object, named
/// relationships with a property <c>w</c>) and graph queries (JOIN, MATCH with directions and hops, FROM RELATIONSHIPS,
/// ORDER BY, GROUP BY): the engine's rows, read through paging, must equal those of <see cref="Reference"/>, a
/// deliberately naive evaluator of nested loops over plain lists written without the engine's code. Rows compare as
/// multisets, or as sequences when the query orders them.
/// </summary>
public sealed class QueryReferenceDifferentialTests
{
    // M1 extends M0, M2 extends M1; M3 stands alone.
    private static readonly string[] Models = ["dtmi:t:M0;1", "dtmi:t:M1;1", "dtmi:t:M2;1", "dtmi:t:M3;1"];

    private static readonly string?[] XValues = [null, "0", "1", "2", "3", "4", "\"s0\"", "\"s1\"", "null", "true", "false", "[1]", "{\"a\":1}"];

    private static readonly string[] Hops = ["..2", "1..3", "2", "..1", "0..2"];

    private static readonly string[] Templates =
    [
        "SELECT A, B FROM DIGITALTWINS A JOIN B RELATED A.{N} WHERE IS_OF_MODEL(A, '{M}')",
        "SELECT A, C, R FROM DIGITALTWINS A JOIN B RELATED A.r JOIN C RELATED B.{N} R WHERE B.x >= {X}",
        "SELECT A, B FROM DIGITALTWINS MATCH (A)-[:{N}]->(B) WHERE A.$dtId = 't{I}'",
        "SELECT A, B, e FROM DIGITALTWINS MATCH (A)<-[e:{N}]-(B) WHERE B.x < {X}",
        "SELECT A, B FROM DIGITALTWINS MATCH (A)-[*{H}]-(B) WHERE A.$dtId = 't{I}'",
        "SELECT A, C FROM DIGITALTWINS MATCH (A)-[:r]->(B)-[:s*{H}]->(C) WHERE C.$dtId = 't{I}'",
        "SELECT R.$relationshipId, R.w FROM RELATIONSHIPS R WHERE R.$relationshipName = '{N}' OR R.w > {X}",
        "SELECT T.$dtId, T.x FROM DIGITALTWINS T ORDER BY T.x {D}",
        "SELECT TOP({K}) T.$dtId FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{M}') ORDER BY T.x {D}",
        "SELECT TOP({K}) T.$dtId FROM DIGITALTWINS T ORDER BY T.x {D}",
        "SELECT T.$metadata.$model, COUNT(), SUM(T.x) AS s FROM DIGITALTWINS T GROUP BY T.$metadata.$model",
        "SELECT A.$dtId, COUNT() AS n, MAX(B.x) AS m FROM DIGITALTWINS A JOIN B RELATED A.{N} GROUP BY A.$dtId ORDER BY A.$dtId DESC",
        "SELECT A, B, R FROM DIGITALTWINS A JOIN B RELATED A.{N} R JOIN C RELATED B.r WHERE C.$dtId = 't{I}'",
        "SELECT A, C FROM DIGITALTWINS A JOIN B RELATED A.{N} JOIN C RELATED B.r WHERE B.$dtId = 't{I}' AND A.x != 1",
        "SELECT A, F, B FROM DIGITALTWINS MATCH (A)<-[:{N}]-(F)-[:{N}]->(B) WHERE A.$dtId = 't{I}'",
    ];

    public sealed record Rel(string Id, string Source, string Target, string Name, int W);

    public sealed record Case(int[] TwinModels, int[] Xs, Rel[] Rels, int Template, string Query, int PageSize, string Name, string Model, int X, int I, int K, bool Descending, string Hops)
    {
        public override string ToString() =>
            $"{Query} (page {PageSize})\ntwins {string.Join(",", TwinModels.Select((m, i) => $"t{i}:M{m}:{XValues[Xs[i]] ?? "-"}"))}\nrels {string.Join(",", Rels.Select(r => $"{r.Source}-{r.Name}({r.W})->{r.Target}"))}";
    }

    private static Gen<Case> Cases =>
        from n in Gen.Choose(1, 10)
        from models in Gen.ArrayOf(Gen.Choose(0, 3), n)
        from xs in Gen.ArrayOf(Gen.Choose(0, XValues.Length - 1), n)
        from edges in Gen.ListOf(from a in Gen.Choose(0, n - 1) from b in Gen.Choose(0, n - 1) from name in Gen.Elements("r", "s") from w in Gen.Choose(0, 3) select (a, b, name, w))
        from template in Gen.Choose(0, Templates.Length - 1)
        from m in Gen.Elements(Models)
        from x in Gen.Choose(0, 4)
        from i in Gen.Choose(0, 10)
        from k in Gen.Choose(0, 6)
        from hops in Gen.Elements(Hops)
        from name in Gen.Elements("r", "s")
        from desc in Gen.Elements(true, false)
        from pageSize in Gen.Choose(1, 4)
        select new Case(
            models,
            xs,
            [.. edges.Take(20).Select((e, j) => new Rel($"e{j}", $"t{e.a}", $"t{e.b}", e.name, e.w))],
            template,
            Templates[template].Replace("{N}", name).Replace("{M}", m).Replace("{H}", hops).Replace("{D}", desc ? "DESC" : "ASC")
                .Replace("{X}", x.ToString(CultureInfo.InvariantCulture)).Replace("{I}", i.ToString(CultureInfo.InvariantCulture)).Replace("{K}", k.ToString(CultureInfo.InvariantCulture)),
            pageSize, name, m, x, i, k, desc, hops);

    internal static IReadOnlySet<string> Subtypes(string m) => m switch
    {
        "dtmi:t:M0;1" => new HashSet<string>(Models[..3]),
        "dtmi:t:M1;1" => new HashSet<string>(Models[1..3]),
        _ => new HashSet<string> { m },
    };

    [Property(MaxTest = 400)]
    public Property Engine_rows_equal_the_naive_reference() => Prop.ForAll(Arb.From(Cases), c =>
    {
        var graph = new TwinGraph();
        for (var i = 0; i < c.TwinModels.Length; i++)
        {
            var x = XValues[c.Xs[i]];
            graph.PutTwin(QueryGraphTests.Twin($"t{i}", Models[c.TwinModels[i]], x is null ? "{}" : $$"""{"x":{{x}}}"""));
        }
        foreach (var r in c.Rels)
        {
            graph.PutRelationship(QueryGraphTests.Rel(r.Source, r.Id, r.Target, r.Name, $$"""{"w":{{r.W}}}"""));
        }
        var source = new TwinGraphQuerySource(graph, Subtypes);
        var actual = source.All(c.Query, c.PageSize).Select(Canonical).ToList();
        var (expected, ordered) = new Reference(c).Run();
        if (!ordered)
        {
            actual.Sort(StringComparer.Ordinal);
            expected.Sort(StringComparer.Ordinal);
        }
        var (e, a) = (string.Join("\n", expected), string.Join("\n", actual));
        return (e == a).Label($"expected\n{e}\nactual\n{a}");
    });

    /// <summary>A row as sorted <c>key=value</c> pairs; twins by <c>$dtId</c>, relationships by source and id.</summary>
    private static string Canonical(JsonNode row) =>
        string.Join(";", row.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Value(p.Value)}"));

    private static string Value(JsonNode? value) => value switch
    {
        JsonObject o when o["$dtId"] is { } id => id.GetValue<string>(),
        JsonObject o when o["$relationshipId"] is { } id => $"rel:{o["$sourceId"]!.GetValue<string>()}/{id.GetValue<string>()}",
        null => "null",
        _ => value.ToJsonString(),
    };

    /// <summary>The naive evaluator: every twin and relationship in plain lists, nested loops, no indexes.</summary>
    private sealed class Reference(Case c)
    {
        private readonly List<(string Id, string Model, string? X)> _twins =
            [.. c.TwinModels.Select((m, i) => ($"t{i}", Models[m], XValues[c.Xs[i]])).OrderBy(t => t.Item1, StringComparer.Ordinal)];

        private readonly Rel[] _rels = c.Rels;

        public (List<string> Rows, bool Ordered) Run()
        {
            var (name, model, x, i, descending) = (c.Name, c.Model, c.X, c.I, c.Descending);
            var rows = new List<string>();
            switch (c.Template)
            {
                case 0:
                    foreach (var a in _twins.Where(t => IsOf(t.Model, model)))
                    {
                        foreach (var r in _rels.Where(r => r.Source == a.Id && r.Name == name))
                        {
                            rows.Add($"A={a.Id};B={r.Target}");
                        }
                    }
                    return (rows, false);
                case 1:
                    foreach (var r1 in _rels.Where(r => r.Name == "r"))
                    {
                        foreach (var r2 in _rels.Where(r => r.Source == r1.Target && r.Name == name))
                        {
                            if (Num(Twin(r1.Target).X) is { } bx && bx >= x)
                            {
                                rows.Add($"A={r1.Source};C={r2.Target};R=rel:{r2.Source}/{r2.Id}");
                            }
                        }
                    }
                    return (rows, false);
                case 2:
                    foreach (var r in _rels.Where(r => r.Source == $"t{i}" && r.Name == name))
                    {
                        rows.Add($"A={r.Source};B={r.Target}");
                    }
                    return (rows, false);
                case 3:
                    foreach (var r in _rels.Where(r => r.Name == name))
                    {
                        if (Num(Twin(r.Source).X) is { } bx && bx < x)
                        {
                            rows.Add($"A={r.Target};B={r.Source};e=rel:{r.Source}/{r.Id}");
                        }
                    }
                    return (rows, false);
                case 4:
                    if (_twins.Any(t => t.Id == $"t{i}"))
                    {
                        foreach (var (end, _) in Ends($"t{i}", HopRange(), null, undirected: true))
                        {
                            rows.Add($"A=t{i};B={end}");
                        }
                    }
                    return (rows, false);
                case 5:
                    foreach (var r1 in _rels.Where(r => r.Name == "r"))
                    {
                        foreach (var (end, _) in Ends(r1.Target, HopRange(), "s", undirected: false))
                        {
                            if (end == $"t{i}")
                            {
                                rows.Add($"A={r1.Source};C={end}");
                            }
                        }
                    }
                    return (rows, false);
                case 6:
                    foreach (var r in _rels.Where(r => r.Name == name || r.W > x))
                    {
                        rows.Add($"$relationshipId=\"{r.Id}\";w={r.W}");
                    }
                    return (rows, false);
                case 7:
                    foreach (var t in Sorted(_twins, descending))
                    {
                        rows.Add(t.X is null ? $"$dtId=\"{t.Id}\"" : $"$dtId=\"{t.Id}\";x={t.X}");
                    }
                    return (rows, true);
                case 8 or 9:
                    var candidates = c.Template == 8 ? _twins.Where(t => IsOf(t.Model, model)).ToList() : _twins;
                    foreach (var t in Sorted(candidates, descending).Take(c.K))
                    {
                        rows.Add($"$dtId=\"{t.Id}\"");
                    }
                    return (rows, true);
                case 10:
                    foreach (var group in _twins.GroupBy(t => t.Model))
                    {
                        var sum = 0.0;
                        foreach (var t in group)
                        {
                            if (Num(t.X) is { } v)
                            {
                                sum += v;
                            }
                        }
                        rows.Add($"$model=\"{group.Key}\";COUNT={group.Count()};s={JsonValue.Create(sum).ToJsonString()}");
                    }
                    return (rows, false);
                case 12 or 13:
                    foreach (var r1 in _rels.Where(r => r.Name == name))
                    {
                        foreach (var r2 in _rels.Where(r => r.Source == r1.Target && r.Name == "r"))
                        {
                            if (c.Template == 12 && r2.Target == $"t{i}")
                            {
                                rows.Add($"A={r1.Source};B={r1.Target};R=rel:{r1.Source}/{r1.Id}");
                            }
                            else if (c.Template == 13 && r1.Target == $"t{i}" && Twin(r1.Source).X is { } ax && ax != "1" && Rank(ax) == 3)
                            {
                                rows.Add($"A={r1.Source};C={r2.Target}");
                            }
                        }
                    }
                    return (rows, false);
                case 14:
                    // One relationship binds at most one edge of a MATCH pattern.
                    foreach (var r1 in _rels.Where(r => r.Target == $"t{i}" && r.Name == name))
                    {
                        foreach (var r2 in _rels.Where(r => r.Source == r1.Source && r.Name == name && r != r1))
                        {
                            rows.Add($"A={r1.Target};B={r2.Target};F={r1.Source}");
                        }
                    }
                    return (rows, false);
                default:
                    var joined = new List<(string A, string? X)>();
                    foreach (var a in _twins)
                    {
                        foreach (var r in _rels.Where(r => r.Source == a.Id && r.Name == name))
                        {
                            joined.Add((a.Id, Twin(r.Target).X));
                        }
                    }
                    foreach (var group in joined.GroupBy(j => j.A).OrderByDescending(g => g.Key, StringComparer.Ordinal))
                    {
                        var best = group.Select(j => j.X).Where(v => Rank(v) is 3 or 4).OrderBy(v => v, Comparer<string?>.Create(Compare)).LastOrDefault();
                        rows.Add($"$dtId=\"{group.Key}\";" + (best is null ? "" : $"m={best};") + $"n={group.Count()}");
                    }
                    return (rows, true);
            }
        }

        // ADT: *n is exactly n hops, *n..m more than n and at most m, *..m 1 to m.
        private (int Min, int Max) HopRange()
        {
            var h = c.Hops;
            var dots = h.IndexOf("..", StringComparison.Ordinal);
            if (dots < 0)
            {
                var n = int.Parse(h, CultureInfo.InvariantCulture);
                return (n, n);
            }
            var max = int.Parse(h[(dots + 2)..], CultureInfo.InvariantCulture);
            return dots == 0 ? (1, max) : (int.Parse(h[..dots], CultureInfo.InvariantCulture) + 1, max);
        }

        // Ends of every path from start that uses no relationship twice, of a length in range: one per relationship for a
        // single hop, else each end once.
        private List<(string End, Rel? Via)> Ends(string start, (int Min, int Max) range, string? name, bool undirected)
        {
            var found = new List<(string, Rel?)>();
            if (range is (1, 1))
            {
                foreach (var r in _rels)
                {
                    if (name is null || r.Name == name)
                    {
                        if (r.Source == start)
                        {
                            found.Add((r.Target, r));
                        }
                        if (undirected && r.Target == start)
                        {
                            found.Add((r.Source, r));
                        }
                    }
                }
                return found;
            }
            var ends = new HashSet<string>();
            var used = new HashSet<Rel>();
            void Walk(string at, int depth)
            {
                if (depth >= range.Min && depth <= range.Max)
                {
                    ends.Add(at);
                }
                if (depth == range.Max)
                {
                    return;
                }
                foreach (var r in _rels)
                {
                    if ((name is not null && r.Name != name) || used.Contains(r))
                    {
                        continue;
                    }
                    string? next = r.Source == at ? r.Target : undirected && r.Target == at ? r.Source : null;
                    if (next is not null)
                    {
                        used.Add(r);
                        Walk(next, depth + 1);
                        used.Remove(r);
                    }
                }
            }
            Walk(start, 0);
            foreach (var end in ends)
            {
                found.Add((end, null));
            }
            return found;
        }

        private (string Id, string Model, string? X) Twin(string id) => _twins.First(t => t.Id == id);

        private static bool IsOf(string model, string of) => Subtypes(of).Contains(model) || model == of;

        private static double? Num(string? x) => x is not null && double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

        // undefined, null, booleans, numbers, strings, arrays, objects
        private static int Rank(string? x) => x switch
        {
            null => 0,
            "null" => 1,
            "true" or "false" => 2,
            _ when Num(x) is not null => 3,
            _ when x.StartsWith('[') => 5,
            _ when x.StartsWith('{') => 6,
            _ => 4,
        };

        private static int Compare(string? a, string? b)
        {
            var (ra, rb) = (Rank(a), Rank(b));
            if (ra != rb)
            {
                return ra.CompareTo(rb);
            }
            return ra switch
            {
                2 => (a == "true").CompareTo(b == "true"),
                3 => Num(a)!.Value.CompareTo(Num(b)!.Value),
                4 => string.CompareOrdinal(a, b),
                _ => 0,
            };
        }

        // Stable: ties keep $dtId order in both directions.
        private static List<(string Id, string Model, string? X)> Sorted(List<(string Id, string Model, string? X)> twins, bool descending)
        {
            var list = twins.Select((t, n) => (t, n)).ToList();
            list.Sort((p, q) =>
            {
                var cmp = Compare(p.t.X, q.t.X);
                return cmp != 0 ? (descending ? -cmp : cmp) : p.n.CompareTo(q.n);
            });
            return list.ConvertAll(p => p.t);
        }
    }
}
