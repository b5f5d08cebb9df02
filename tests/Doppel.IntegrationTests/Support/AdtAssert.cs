using System.Text.Json.Nodes;

namespace Doppel.IntegrationTests.Support;

/// <summary>One-line assertions on ADT responses.</summary>
internal static class AdtAssert
{
    /// <summary>Asserts status, the x-ms-error-code header and the error body; returns the message.</summary>
    public static async Task<string> Error(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.True(code == (response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.Single() : null), $"expected {code}, got {text}");
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(code, (string?)error["code"]);
        var message = (string?)error["message"];
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }
}
