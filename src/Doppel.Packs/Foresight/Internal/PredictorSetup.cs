using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Doppel.Packs.Foresight.Internal;

/// <summary>
/// Makes sure a predictor exists in the server's registry and is assigned to a model, through the predictor API as any
/// client would (<c>/doppel/predictors</c>): trained on C-MAPSS text when the registry has no version of it yet, then
/// assigned (its latest version).
/// </summary>
internal sealed class PredictorSetup(HttpClient http, TimeProvider time)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    public async Task EnsureAssignedAsync(string name, string modelId, Func<string> trainingText, CancellationToken ct)
    {
        var path = $"doppel/predictors/{Uri.EscapeDataString(name)}";
        using (var existing = await http.GetAsync(path, ct))
        {
            if (existing.StatusCode == HttpStatusCode.NotFound)
            {
                await TrainAsync(path, trainingText(), ct);
            }
            else if (!existing.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Reading the predictor '{name}': {await ErrorAsync(existing, ct)}");
            }
        }
        using var assigned = await http.PutAsync($"{path}/assignments/{Uri.EscapeDataString(modelId)}", Json(new JsonObject()), ct);
        if (!assigned.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Assigning the predictor '{name}' to {modelId}: {await ErrorAsync(assigned, ct)}");
        }
    }

    /// <summary>Trains on the server (in the background there) and waits for the operation to finish.</summary>
    private async Task TrainAsync(string path, string text, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["kind"] = "gbt",
            ["seed"] = 1,
            ["coverage"] = 0.9,
            ["data"] = new JsonObject { ["format"] = "cmapss", ["text"] = text },
        };
        using var started = await http.PostAsync($"{path}/train", Json(body), ct);
        if (started.StatusCode != HttpStatusCode.Accepted || started.Headers.TryGetValues("Operation-Location", out var locations) is false)
        {
            throw new InvalidOperationException($"Training the predictor: {await ErrorAsync(started, ct)}");
        }
        var operation = locations.First();
        while (true)
        {
            await Task.Delay(PollEvery, time, ct);
            using var polled = await http.GetAsync(operation, ct);
            if (!polled.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Following the predictor's training: {await ErrorAsync(polled, ct)}");
            }
            var state = JsonNode.Parse(await polled.Content.ReadAsStringAsync(ct));
            switch ((string?)state?["status"])
            {
                case "succeeded":
                    return;
                case "failed" or "cancelled":
                    throw new InvalidOperationException($"Training the predictor {(string?)state?["status"]}: {(string?)state?["error"]?["message"] ?? "no reason given"}");
            }
        }
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>An API error as one line: the server's message, else the status.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            if (JsonNode.Parse(text)?["error"]?["message"] is JsonValue message)
            {
                return $"{message.GetValue<string>()} (HTTP {(int)response.StatusCode})";
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not the API's error shape: the status says enough.
        }
        return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
    }
}
