using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Doppel.Query.Internal;

/// <summary>
/// GROUP BY, aggregates and DISTINCT (beyond ADT): every matching row is read once, groups keep their first row (for the
/// grouped values) and one accumulator per aggregate; groups come in order of first appearance unless ORDER BY sorts
/// them by their grouped values. DISTINCT drops projected rows equal to an earlier one.
/// </summary>
internal static class Grouping
{
    public static List<JsonNode> Rows(Executor executor, QueryPlan plan)
    {
        var syntax = plan.Syntax;
        var select = syntax.Select;
        var rows = new List<JsonNode>();
        if (!syntax.IsGrouped)
        {
            // DISTINCT alone: project every row in order, then keep the first of each.
            IEnumerable<Doc?[]> ordered;
            if (syntax.OrderBy.Count > 0)
            {
                var sorter = new RowSorter(syntax.OrderBy, executor.Value, int.MaxValue);
                foreach (var (_, row) in executor.Rows(null, 0))
                {
                    sorter.Offer(row);
                }
                ordered = sorter.Sorted();
            }
            else
            {
                ordered = Plain(executor);
            }
            foreach (var row in ordered)
            {
                rows.Add(executor.Project(row));
            }
            return Distinct(rows);
        }
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var order = new List<Group>();
        var key = new StringBuilder();
        foreach (var (_, row) in executor.Rows(null, 0))
        {
            key.Clear();
            foreach (var path in syntax.GroupBy)
            {
                AppendKey(key, executor.Value(path, row));
            }
            var k = key.ToString();
            if (!groups.TryGetValue(k, out var group))
            {
                group = new Group((Doc?[])row.Clone(), select.Projections.Count);
                groups[k] = group;
                order.Add(group);
            }
            group.Rows++;
            for (var i = 0; i < select.Projections.Count; i++)
            {
                var p = select.Projections[i];
                if (p.Aggregate != Aggregate.None && p.Path is not null)
                {
                    group.Add(i, p.Aggregate, executor.Value(p.Path, row));
                }
            }
        }
        if (order.Count == 0 && syntax.GroupBy.Count == 0)
        {
            // Aggregates without GROUP BY make one row, also over no rows (COUNT() is 0, SUM is 0, the others undefined).
            order.Add(new Group(new Doc?[plan.Slots.Count], select.Projections.Count));
        }
        if (syntax.OrderBy.Count > 0)
        {
            var keys = order.ConvertAll(g =>
            {
                var values = new QueryValue[syntax.OrderBy.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = executor.Value(syntax.OrderBy[i].Path, g.First);
                }
                return values;
            });
            var positions = new int[order.Count];
            for (var i = 0; i < positions.Length; i++)
            {
                positions[i] = i;
            }
            Array.Sort(positions, (a, b) =>
            {
                for (var i = 0; i < syntax.OrderBy.Count; i++)
                {
                    var c = QueryValue.Order(keys[a][i], keys[b][i]);
                    if (c != 0)
                    {
                        return syntax.OrderBy[i].Descending ? -c : c;
                    }
                }
                return a.CompareTo(b);
            });
            var sorted = new List<Group>(order.Count);
            foreach (var position in positions)
            {
                sorted.Add(order[position]);
            }
            order = sorted;
        }
        foreach (var group in order)
        {
            var row = new JsonObject();
            for (var i = 0; i < select.Projections.Count; i++)
            {
                var p = select.Projections[i];
                JsonNode? value;
                if (p.Aggregate == Aggregate.None)
                {
                    if (!executor.TryProject(p.Path!, group.First, out value))
                    {
                        continue;
                    }
                }
                else if (!group.TryResult(i, p.Aggregate, p.Path is null, out value))
                {
                    continue;
                }
                row[p.Name] = value;
            }
            rows.Add(row);
        }
        return select.Distinct ? Distinct(rows) : rows;
    }

    private static IEnumerable<Doc?[]> Plain(Executor executor)
    {
        foreach (var (_, row) in executor.Rows(null, 0))
        {
            yield return row;
        }
    }

    private static List<JsonNode> Distinct(List<JsonNode> rows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<JsonNode>(rows.Count);
        foreach (var row in rows)
        {
            if (seen.Add(row.ToJsonString()))
            {
                result.Add(row);
            }
        }
        return result;
    }

    private static void AppendKey(StringBuilder key, in QueryValue value)
    {
        key.Append((char)('a' + (int)value.Kind));
        switch (value.Kind)
        {
            case ValueKind.Bool or ValueKind.Number:
                key.Append(value.Number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case ValueKind.String:
                key.Append(value.String);
                break;
            case ValueKind.Array or ValueKind.Object:
                key.Append(value.Node!.ToJsonString());
                break;
        }
        key.Append('\u0001');
    }

    private sealed class Group(Doc?[] first, int columns)
    {
        private readonly double[] _sum = new double[columns];
        private readonly long[] _count = new long[columns];
        private readonly QueryValue[] _best = new QueryValue[columns];

        public Doc?[] First { get; } = first;

        public long Rows { get; set; }

        public void Add(int column, Aggregate aggregate, in QueryValue value)
        {
            switch (aggregate)
            {
                case Aggregate.Count:
                    if (value.Kind != ValueKind.Undefined)
                    {
                        _count[column]++;
                    }
                    break;
                case Aggregate.Sum or Aggregate.Avg:
                    if (value.Kind == ValueKind.Number)
                    {
                        _sum[column] += value.Number;
                        _count[column]++;
                    }
                    break;
                default:
                    if (value.Kind is ValueKind.Number or ValueKind.String)
                    {
                        var best = _best[column];
                        var c = best.Kind == ValueKind.Undefined ? 0 : QueryValue.Order(value, best);
                        if (best.Kind == ValueKind.Undefined || (aggregate == Aggregate.Min ? c < 0 : c > 0))
                        {
                            _best[column] = value;
                        }
                    }
                    break;
            }
        }

        public bool TryResult(int column, Aggregate aggregate, bool countRows, out JsonNode? value)
        {
            value = null;
            switch (aggregate)
            {
                case Aggregate.Count:
                    value = countRows ? Rows : _count[column];
                    return true;
                case Aggregate.Sum:
                    value = _sum[column];
                    return true;
                case Aggregate.Avg:
                    if (_count[column] == 0)
                    {
                        return false;
                    }
                    value = _sum[column] / _count[column];
                    return true;
                default:
                    var best = _best[column];
                    value = best.Kind switch
                    {
                        ValueKind.Number => JsonValue.Create(best.Number),
                        ValueKind.String => JsonValue.Create(best.String),
                        _ => null,
                    };
                    return value is not null;
            }
        }
    }
}
