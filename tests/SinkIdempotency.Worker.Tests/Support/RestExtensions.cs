using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SinkIdempotency.Worker.Tests.Support;

/// <summary>Small helpers for Connect REST calls in tests.</summary>
internal static class RestExtensions
{
    public static async Task<(int Status, JsonNode? Body)> SendJsonAsync(this HttpClient http, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = WorkerEnvironment.Json(body);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static Task<(int Status, JsonNode? Body)> CreateConnectorAsync(this HttpClient http, string name, Dictionary<string, string> config) =>
        http.SendJsonAsync(HttpMethod.Post, "/connectors", new JsonObject { ["name"] = name, ["config"] = JsonSerializerHelper.ToObject(config) });

    public static async Task<JsonNode?> StatusAsync(this HttpClient http, string name)
    {
        var (status, body) = await http.SendJsonAsync(HttpMethod.Get, $"/connectors/{name}/status");
        return status == 200 ? body : null;
    }

    /// <summary>Waits until the connector and exactly <paramref name="tasks"/> tasks are in <paramref name="state"/>.</summary>
    public static Task<bool> WaitForStateAsync(this HttpClient http, string name, string state, int tasks, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(
            async () =>
            {
                var status = await http.StatusAsync(name);
                return status?["connector"]?["state"]?.GetValue<string>() == state
                    && status["tasks"]!.AsArray().Count == tasks
                    && status["tasks"]!.AsArray().All(t => t!["state"]!.GetValue<string>() == state);
            },
            timeout ?? TimeSpan.FromSeconds(60));
}

/// <summary>Turns a config map into a JSON object.</summary>
internal static class JsonSerializerHelper
{
    public static JsonObject ToObject(IReadOnlyDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in map)
        {
            obj[k] = v;
        }

        return obj;
    }
}
