using System.Globalization;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Doppel.Tests.Query;

/// <summary>Random twins and random WHERE conditions: the engine must return exactly the twins a naive reference evaluator picks.</summary>
public sealed class QueryDifferentialTests
{
    private const string Model = "dtmi:example:Thing;1";

    // The reference model: conditions over property paths and literals, evaluated with C# objects and bool? (null = undefined).
    public abstract record Cond;

    public sealed record Cmp(string Path, string Op, object? Literal) : Cond;

    public sealed record InList(string Path, object?[] Items, bool Negated) : Cond;

    public sealed record Fn(string Name, string Path, object? Argument) : Cond;

    public sealed record And(Cond Left, Cond Right) : Cond;

    public sealed record Or(Cond Left, Cond Right) : Cond;

    public sealed record Not(Cond Operand) : Cond;

    public sealed record Case(IReadOnlyList<string> Twins, string Where, int PageSize)
    {
        public Cond Condition { get; init; } = null!;

        public override string ToString() => $"WHERE {Where} (page size {PageSize})\n{string.Join("\n", Twins)}";
    }

    private static readonly object Undefined = new();
    private static readonly object JsonNull = new();

    private static readonly string[] Paths = ["a", "s", "o.k", "arr", "missing", "$dtId", "T.a", "T.s"];
    private static readonly object?[] Literals = [-2.0, -1.0, 0.0, 1.0, 1.5, 2.0, "x", "y", "a", "ab", "abc", "b", "", true, false, null];

    private static Gen<object?> Literal => Gen.Elements(Literals);

    private static Gen<JsonNode?> Scalar => Gen.Elements<JsonNode?>(
        JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(1), JsonValue.Create(1.5), JsonValue.Create(2),
        JsonValue.Create("x"), JsonValue.Create("ab"), JsonValue.Create("abc"), JsonValue.Create("b"), JsonValue.Create(""),
        JsonValue.Create(true), JsonValue.Create(false), null);

    private static Gen<Func<int, string>> Twin =>
        from a in Scalar
        from s in Scalar
        from k in Scalar
        from arr in Gen.ListOf(Gen.Choose(-1, 2))
        from present in Gen.Choose(0, 15)
        select (Func<int, string>)(index => Json(index, a, s, k, arr, present));

    private static string Json(int index, JsonNode? a, JsonNode? s, JsonNode? k, IEnumerable<int> arr, int present)
    {
        var twin = new JsonObject { ["$dtId"] = $"t{index:D2}", ["$metadata"] = new JsonObject { ["$model"] = Model } };
        if ((present & 1) != 0) twin["a"] = a?.DeepClone();
        if ((present & 2) != 0) twin["s"] = s?.DeepClone();
        if ((present & 4) != 0) twin["o"] = new JsonObject { ["k"] = k?.DeepClone() };
        if ((present & 8) != 0) twin["arr"] = new JsonArray(arr.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
        return twin.ToJsonString();
    }

    private static Gen<Cond> Condition(int depth)
    {
        var leaf = Gen.OneOf(
            from p in Gen.Elements(Paths)
            from op in Gen.Elements("=", "!=", "<", ">", "<=", ">=")
            from l in Literal
            select (Cond)new Cmp(p, op, l),
            from p in Gen.Elements(Paths)
            from items in Gen.ListOf(Literal)
            from negated in Gen.Elements(true, false)
            select (Cond)new InList(p, items.Take(5).ToArray(), negated),
            from p in Gen.Elements(Paths)
            from name in Gen.Elements("IS_DEFINED", "IS_NULL", "IS_BOOL", "IS_NUMBER", "IS_STRING", "IS_PRIMITIVE", "IS_OBJECT")
            select (Cond)new Fn(name, p, null),
            from p in Gen.Elements(Paths)
            from name in Gen.Elements("STARTSWITH", "ENDSWITH", "CONTAINS", "ARRAY_CONTAINS")
            from l in Literal
            select (Cond)new Fn(name, p, l));
        if (depth == 0)
        {
            return leaf;
        }
        var sub = Condition(depth - 1);
        return Gen.OneOf(
            leaf,
            leaf,
            from l in sub from r in sub select (Cond)new And(l, r),
            from l in sub from r in sub select (Cond)new Or(l, r),
            from c in sub select (Cond)new Not(c));
    }

    private static Gen<Case> Cases =>
        from twins in Gen.ListOf(Twin)
        from cond in Condition(3)
        from pageSize in Gen.Choose(1, 5)
        select new Case(twins.Take(12).Select((twin, i) => twin(i)).ToList(), Render(cond), pageSize) { Condition = cond };

    [Property(MaxTest = 300)]
    public Property Engine_rows_equal_the_reference_evaluator() => Prop.ForAll(Arb.From(Cases), c =>
    {
        var source = new InMemoryQuerySource().Model(Model);
        foreach (var twin in c.Twins)
        {
            source.Add(JsonNode.Parse(twin)!.AsObject());
        }
        var expected = string.Join(",", source.All.Where(t => Evaluate(c.Condition, t) == true).Select(t => t["$dtId"]!.GetValue<string>()));
        var actual = source.Ids($"SELECT * FROM DIGITALTWINS T WHERE {c.Where}", c.PageSize);
        var count = source.All($"SELECT COUNT() FROM DIGITALTWINS T WHERE {c.Where}")[0]["COUNT"]!.GetValue<long>();
        return expected == actual && count == (expected.Length == 0 ? 0 : expected.Split(',').Length);
    });

    private static string Render(Cond cond) => cond switch
    {
        Cmp c => $"{c.Path} {c.Op} {Render(c.Literal)}",
        InList i => $"{i.Path} {(i.Negated ? "NIN" : "IN")} [{string.Join(", ", i.Items.Select(Render))}]",
        Fn { Argument: null } f when f.Name.StartsWith("IS_", StringComparison.Ordinal) => $"{f.Name}({f.Path})",
        Fn f => $"{f.Name}({f.Path}, {Render(f.Argument)})",
        And a => $"({Render(a.Left)} AND {Render(a.Right)})",
        Or o => $"({Render(o.Left)} OR {Render(o.Right)})",
        Not n => $"NOT ({Render(n.Operand)})",
        _ => throw new InvalidOperationException(),
    };

    private static string Render(object? literal) => literal switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        string s => $"'{s}'",
        _ => throw new InvalidOperationException(),
    };

    private static object? Lookup(JsonObject twin, string path)
    {
        JsonNode? node = twin;
        foreach (var segment in path.StartsWith("T.", StringComparison.Ordinal) ? path[2..].Split('.') : path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.ContainsKey(segment))
            {
                return Undefined;
            }
            node = obj[segment];
        }
        return node switch
        {
            null => JsonNull,
            JsonObject or JsonArray => node,
            _ when node.GetValueKind() == System.Text.Json.JsonValueKind.String => node.GetValue<string>(),
            _ when node.GetValueKind() == System.Text.Json.JsonValueKind.Number => node.GetValue<double>(),
            _ => node.GetValue<bool>(),
        };
    }

    private static object Normalize(object? literal) => literal ?? JsonNull;

    private static bool? Equal(object x, object y)
    {
        if (x == Undefined || y == Undefined || x.GetType() != y.GetType())
        {
            return null;
        }
        return x is JsonNode a ? JsonNode.DeepEquals(a, (JsonNode)y) : x.Equals(y);
    }

    private static bool? Evaluate(Cond cond, JsonObject twin)
    {
        switch (cond)
        {
            case Cmp c:
                var x = Lookup(twin, c.Path)!;
                var y = Normalize(c.Literal);
                if (c.Op is "=" or "!=")
                {
                    var eq = Equal(x, y);
                    return c.Op == "=" ? eq : !eq;
                }
                int order;
                if (x is double dx && y is double dy) order = dx.CompareTo(dy);
                else if (x is string sx && y is string sy) order = string.CompareOrdinal(sx, sy);
                else if (x is bool bx && y is bool by) order = bx.CompareTo(by);
                else return null;
                return c.Op switch { "<" => order < 0, ">" => order > 0, "<=" => order <= 0, _ => order >= 0 };
            case InList i:
                var v = Lookup(twin, i.Path)!;
                if (v == Undefined) return null;
                var found = i.Items.Any(item => Equal(v, Normalize(item)) == true);
                return i.Negated ? !found : found;
            case Fn f:
                var value = Lookup(twin, f.Path)!;
                switch (f.Name)
                {
                    case "IS_DEFINED": return value != Undefined;
                    case "IS_NULL": return value == JsonNull;
                    case "IS_BOOL": return value is bool;
                    case "IS_NUMBER": return value is double;
                    case "IS_STRING": return value is string;
                    case "IS_PRIMITIVE": return value is bool or double or string || value == JsonNull;
                    case "IS_OBJECT": return value is JsonObject;
                    case "ARRAY_CONTAINS":
                        if (value is not JsonArray array) return null;
                        return array.Any(e => Equal(e is null ? JsonNull : e.GetValueKind() == System.Text.Json.JsonValueKind.Number ? e.GetValue<double>() : e.GetValueKind() == System.Text.Json.JsonValueKind.String ? e.GetValue<string>() : e.GetValue<bool>(), Normalize(f.Argument)) == true);
                }
                if (value is not string text || f.Argument is not string argument) return null;
                return f.Name switch
                {
                    "STARTSWITH" => text.StartsWith(argument, StringComparison.Ordinal),
                    "ENDSWITH" => text.EndsWith(argument, StringComparison.Ordinal),
                    _ => text.Contains(argument, StringComparison.Ordinal),
                };
            case And a:
                var l = Evaluate(a.Left, twin);
                var r = Evaluate(a.Right, twin);
                return l == false || r == false ? false : l == true && r == true ? true : null;
            case Or o:
                var lo = Evaluate(o.Left, twin);
                var ro = Evaluate(o.Right, twin);
                return lo == true || ro == true ? true : lo == false && ro == false ? false : null;
            case Not n:
                return !Evaluate(n.Operand, twin);
            default:
                throw new InvalidOperationException();
        }
    }
}
