using System.Text.Json.Nodes;
using Doppel.Query;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// The ADT query language: every input runs through <see cref="QueryEngine.Execute"/> against a small real twin graph
/// (all its pages, small ones, so continuation tokens are used), and its condition (after WHERE, or the whole text)
/// through <see cref="QueryCondition.Parse"/>, which route and stream filters use, then against every twin.
/// Accepted means it runs: rows are JSON objects that serialise, and a condition that parses evaluates on every twin.
/// </summary>
internal sealed class QueryFuzzTarget : IFuzzTarget
{
    private static readonly string[] BuiltIn =
    [
        "SELECT * FROM DIGITALTWINS",
        "SELECT * FROM DIGITALTWINS T WHERE T.temperature > 20 AND IS_OF_MODEL(T, 'dtmi:fuzz:Room;1')",
        "SELECT TOP(2) T.$dtId, T.name FROM DIGITALTWINS T WHERE STARTSWITH(T.$dtId, 'room') ORDER BY T.temperature DESC",
        "SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:fuzz:Space;1', exact) OR capacity IN [4, 8, 12]",
        "SELECT F, R FROM DIGITALTWINS F JOIN R RELATED F.contains E WHERE F.$dtId = 'floor-1' AND E.since > '2024-01-15'",
        "SELECT F.name, R.name FROM DIGITALTWINS MATCH (F)-[c:contains*1..2]->(R) WHERE R.occupied = true",
        "SELECT * FROM RELATIONSHIPS R WHERE R.$sourceId = 'floor-2' AND R.$relationshipName = 'contains'",
        "SELECT T.mode, COUNT(), AVG(T.capacity), MAX(T.temperature) FROM DIGITALTWINS T GROUP BY T.mode",
        "SELECT DISTINCT T.tags.kind FROM DIGITALTWINS T WHERE IS_DEFINED(T.tags) AND NOT IS_NULL(T.location.x)",
        "SELECT T FROM DIGITALTWINS T WHERE T.thermostat.setpoint >= 21 AND ENDSWITH(T.name, '3') OR CONTAINS(T.name, 'oo')",
        "SELECT T.readings[1] AS r FROM DIGITALTWINS T WHERE IS_NUMBER(T.readings[0]) AND T.$metadata.temperature.lastUpdateTime > '2020-01-01'",
        "T.temperature > 19 AND IS_OF_MODEL('dtmi:fuzz:Room;1')",
        "NOT (capacity < 8) OR name = 'Ground'",
    ];

    private static readonly string[] Tokens =
    [
        "SELECT", "FROM", "WHERE", "DIGITALTWINS", "RELATIONSHIPS", "JOIN", "RELATED", "MATCH", "AND", "OR", "NOT", "IN", "NIN", "AS",
        "TOP", "TOP(1)", "TOP(0)", "TOP(-1)", "COUNT()", "COUNT", "SUM", "AVG", "MIN", "MAX", "DISTINCT", "ORDER BY", "GROUP BY", "ASC", "DESC",
        "exact", "IS_OF_MODEL", "IS_DEFINED", "IS_NULL", "IS_BOOL", "IS_NUMBER", "IS_STRING", "IS_PRIMITIVE", "IS_OBJECT", "STARTSWITH", "ENDSWITH",
        "CONTAINS", "*", ",", ".", "(", ")", "[", "]", "=", "!=", "<>", "<", "<=", ">", ">=", "-", "+", "->", "<-", "-[", "]->", "*..3", "*1..2",
        "*0..10", ":contains", "|", "T", "R", "F", "E", "T.", "$dtId", "$etag", "$metadata", "$model", "$sourceId", "$targetId",
        "$relationshipName", "$relationshipId", "lastUpdateTime", "sourceTime", "temperature", "name", "capacity", "tags", "thermostat",
        "setpoint", "location", "readings", "occupied", "mode", "since", "contains", "'room-1'", "'floor-1'", "'dtmi:fuzz:Room;1'",
        "'dtmi:fuzz:Space;1'", "'dtmi:fuzz:Nope;1'", "\"room-2\"", "[1, 2]", "['a']", "[]", "true", "false", "null", "undefined",
    ];

    private readonly FuzzTwins _twins = FuzzTwins.Create();
    private readonly QueryEngine _engine = new();

    public QueryFuzzTarget(string? repository)
    {
        var found = FuzzCorpus.Literals(repository, "tests/Doppel.Tests/Query", IsQuery)
            .Concat(FuzzCorpus.Literals(repository, "tests/Doppel.Tests/Events", IsQuery))
            .Concat(FuzzCorpus.MarkdownCode(repository, "docs/query-language.md", IsQuery))
            .Concat(FuzzCorpus.MarkdownCode(repository, "docs/api.md", IsQuery));
        Mutator = new TextMutator(FuzzCorpus.Merge(BuiltIn, found), Tokens);
    }

    public string Name => "query";

    public string Description => "ADT queries (QueryEngine.Execute over a twin graph, all pages) and their conditions (QueryCondition.Parse, evaluated on every twin)";

    public TextMutator Mutator { get; }

    private static bool IsQuery(string s) => s.Contains("SELECT", StringComparison.OrdinalIgnoreCase) && s.Contains("FROM", StringComparison.OrdinalIgnoreCase);

    public string Run(string input)
    {
        var query = Execute(input);
        var condition = Condition(input);
        return $"query {query}, condition {condition}";
    }

    private string Execute(string text)
    {
        string? token = null;
        var pages = 0;
        do
        {
            var page = _engine.Execute(pages == 0 ? text : null, _twins.Source, pageSize: 3, token);
            if (!page.IsSuccess)
            {
                if (pages > 0)
                {
                    throw new FuzzViolation($"a later page failed: page {pages + 1} of a query whose first page ran: {page.Error.Message}");
                }

                return page.Error.Code;
            }

            foreach (var row in page.Value.Rows)
            {
                if (row is not JsonObject)
                {
                    throw new FuzzViolation($"a row is not a JSON object: {row.ToJsonString()}");
                }

                _ = row.ToJsonString();
            }

            token = page.Value.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 20);

        return "ran";
    }

    private string Condition(string input)
    {
        var where = input.IndexOf("WHERE", StringComparison.OrdinalIgnoreCase);
        var text = where >= 0 ? input[(where + 5)..] : input;
        var parsed = QueryCondition.Parse(text, _twins.ModelAndSubtypes);
        if (!parsed.IsSuccess)
        {
            return parsed.Error.Code;
        }

        foreach (var twin in _twins.Graph.Twins)
        {
            // Both forms must agree: a twin as stored, and as its ADT JSON (what a delete event carries).
            if (parsed.Value!.Matches(twin) != parsed.Value.Matches(twin.ToJson()))
            {
                throw new FuzzViolation($"a condition judged a twin and its JSON differently: twin {twin.Id}");
            }
        }

        return "ran";
    }
}
