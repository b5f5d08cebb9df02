using System.Text.Json;

namespace Doppel.Server.Api;

/// <summary>Writes errors in ADT's shape: header x-ms-error-code and body {"error":{"code","message","details"}}.</summary>
internal static class AdtErrors
{
    /// <summary>The HTTP status ADT uses for each error code; anything unlisted is a 400.</summary>
    private static readonly Dictionary<string, int> Status = new(StringComparer.Ordinal)
    {
        ["ModelAlreadyExists"] = 409,
        ["ModelNotFound"] = 404,
        ["ModelReferencesNotDecommissioned"] = 409,
        ["ModelReferencesNotDeleted"] = 409,
        ["DigitalTwinNotFound"] = 404,
        ["PreconditionFailed"] = 412,
        ["RelationshipNotFound"] = 404,
        ["TargetTwinNotFound"] = 404,
        ["RelationshipAlreadyExists"] = 409,
        ["ComponentNotFound"] = 404,
        ["EventRouteNotFound"] = 404,
        ["MappingNotFound"] = 404,
        ["EndpointNotFound"] = 404,
        ["EndpointInUse"] = 409,
        ["DeleteJobNotFound"] = 404,
        ["ImportJobNotFound"] = 404,
        ["RunNotFound"] = 404,
        ["RunAlreadyExists"] = 409,
        ["RunAlreadyFinished"] = 409,
        ["RunNotFinished"] = 409,
        ["RunCancelled"] = 409,
        ["RunQueueFull"] = 429,
        ["PackNotFound"] = 404,
        ["SampleNotFound"] = 404,
        ["ConsolePageNotFound"] = 404,
        ["RuleNotFound"] = 404,
        ["AlertNotFound"] = 404,
        ["AlertNotOpen"] = 409,
        ["PredictorNotFound"] = 404,
        ["PredictorOperationNotFound"] = 404,
        ["AssignmentNotFound"] = 404,
        ["PredictorInUse"] = 409,
        ["PredictorVersionConflict"] = 409,
        ["PredictorAssignmentConflict"] = 409,
        ["PredictorUnreadable"] = 409,
        ["PredictorFailed"] = 409,
        ["ServiceUnavailable"] = 503,
        ["QuotaReachedError"] = 429,
        ["LimitExceeded"] = 413,
        ["MethodNotAllowed"] = 405,
        ["UnsupportedMediaType"] = 415,
        ["InternalServerError"] = 500,
    };

    public static int StatusOf(string code) => Status.GetValueOrDefault(code, 400);

    public static IResult ToResult(DoppelError error) => new ErrorResult(error, StatusOf(error.Code));

    /// <summary>An error whose status depends on where it happens (a missing model is 404 on /models, 400 in a twin body).</summary>
    public static IResult ToResult(DoppelError error, int status) => new ErrorResult(error, status);

    public static IResult ToResult(string code, string message) => ToResult(new DoppelError(code, message));

    public static Task WriteAsync(HttpContext context, DoppelError error) => WriteAsync(context, error, StatusOf(error.Code));

    public static Task WriteAsync(HttpContext context, DoppelError error, int status)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-error-code"] = error.Code;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.Body.WriteAsync(Serialize(error)).AsTask();
    }

    private static byte[] Serialize(DoppelError error)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("error");
            WriteError(writer, error);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteError(Utf8JsonWriter writer, DoppelError error)
    {
        writer.WriteStartObject();
        writer.WriteString("code", error.Code);
        writer.WriteString("message", error.Message);
        if (error.Details.Count > 0)
        {
            writer.WriteStartArray("details");
            foreach (var detail in error.Details)
            {
                WriteError(writer, detail);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private sealed class ErrorResult(DoppelError error, int status) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, error, status);
    }
}
