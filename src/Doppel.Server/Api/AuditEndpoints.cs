using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Server.Audit;
using Doppel.Storage;

namespace Doppel.Server.Api;

/// <summary>GET /doppel/audit: who changed what and when, newest first, filtered, paged with nextLink.</summary>
internal static class AuditEndpoints
{
    private const int MaxPageSize = 1000;

    private static readonly string[] Filters = ["subject", "action", "resourceKind", "resourceId", "resourcePrefix", "since", "until"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/doppel/audit", async (HttpRequest request, AuditLog audit, CancellationToken ct) =>
        {
            if (ListFilters.Unknown(request, Filters) is { } unknown)
            {
                return AdtErrors.ToResult(unknown);
            }
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            var since = ListFilters.Time(request, "since");
            var until = ListFilters.Time(request, "until");
            if (!size.IsSuccess || !after.IsSuccess || !since.IsSuccess || !until.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error ?? after.Error ?? since.Error ?? until.Error!);
            }
            long? before = null;
            if (after.Value is { } token)
            {
                if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
                {
                    return AdtErrors.ToResult("BadRequest", $"The continuation token '{request.Query[Paging.TokenParameter]}' is not valid.");
                }
                before = sequence;
            }
            var search = new AuditSearch(ListFilters.Text(request, "subject"), ListFilters.Text(request, "action"), ListFilters.Text(request, "resourceKind"), ListFilters.Text(request, "resourceId"), ListFilters.Text(request, "resourcePrefix"), since.Value, until.Value, before);
            // One more than a page tells whether there is a next one.
            var records = await audit.ReadAsync(search, size.Value + 1, ct);
            var page = records.Count > size.Value ? records.Take(size.Value).ToList() : records;
            var next = records.Count > size.Value ? Paging.NextLink(request, page[^1].Sequence.ToString(CultureInfo.InvariantCulture)) : null;
            return Responses.Page(page.Select(ToJson), next);
        }).WithTags("Audit").WithName("Audit_List");
    }

    /// <summary>A record as the API shows it.</summary>
    public static JsonNode ToJson(AuditRecord record) => new JsonObject
    {
        ["sequence"] = record.Sequence,
        ["time"] = record.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        ["subject"] = record.Subject,
        ["action"] = record.Action,
        ["resourceKind"] = record.ResourceKind,
        ["resourceId"] = record.ResourceId,
        ["status"] = record.Status,
        ["summary"] = record.Summary,
    };
}
