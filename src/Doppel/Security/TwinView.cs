using System.Text.Json.Nodes;
using Doppel.Query;
using Doppel.Twins;

namespace Doppel.Security;

/// <summary>A twin as access rules see it: its id and its document (stored, or the body of a twin being created).</summary>
public readonly record struct TwinView
{
    private readonly TwinDocument? _document;
    private readonly JsonObject? _json;

    public TwinView(TwinDocument document)
    {
        Id = document.Id;
        _document = document;
    }

    public TwinView(string id, JsonObject document)
    {
        Id = id;
        _json = document;
    }

    public string Id { get; }

    internal bool Matches(QueryCondition condition) =>
        _document is not null ? condition.Matches(_document) : _json is not null && condition.Matches(_json);
}
