using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Connect;

/// <content>HTTP plumbing: requests, error bodies, timeouts and the retry while a rebalance is under way.</content>
public sealed partial class ConnectRestClient
{
    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, method, path, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> SendOptionalAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendRawAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        return await ReadJsonAsync<T>(response, method, path, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendNoResultAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var retryUntil = Deadline.After(_options.RebalanceRetryTimeout, time);
        while (true)
        {
            using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (_options.BasicAuthentication is { } credential)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue(
                    "Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.UserName + ":" + credential.Password)));
            }

            if (body is not null)
            {
                request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
            }

            using var timeout = new CancellationTokenSource(_options.RequestTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Kafka Connect at {BaseAddress} did not answer {method} /{path} within {_options.RequestTimeout.TotalSeconds:0.#} s.");
            }
            catch (HttpRequestException ex)
            {
                throw new HttpRequestException($"Kafka Connect at {BaseAddress} could not be reached for {method} /{path}: {ex.Message}", ex, ex.StatusCode);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            ConnectRestException error;
            using (response)
            {
                error = await ReadErrorAsync(response, method, path, cancellationToken).ConfigureAwait(false);
            }

            if (!error.IsRebalanceInProgress || retryUntil.Remaining < _options.PollInterval)
            {
                throw error;
            }

            await Task.Delay(_options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json)
                ?? throw new ConnectRestException($"Kafka Connect answered {method} /{path} with an empty JSON body where {typeof(T).Name} was expected.");
        }
        catch (JsonException ex)
        {
            throw new ConnectRestException($"Kafka Connect answered {method} /{path} with a body that is not a {typeof(T).Name}: {Shorten(text)}", ex);
        }
    }

    private static async Task<ConnectRestException> ReadErrorAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        int? errorCode = null;
        var message = string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? string.Empty : Shorten(text);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (document.RootElement.TryGetProperty("error_code", out var code) && code.ValueKind == JsonValueKind.Number)
                {
                    errorCode = code.GetInt32();
                }

                if (document.RootElement.TryGetProperty("message", out var text2) && text2.ValueKind == JsonValueKind.String)
                {
                    message = text2.GetString() ?? message;
                }
            }
        }
        catch (JsonException)
        {
            // Not Connect's error shape (a proxy or a crashed worker answered); the raw body is the message.
        }

        return new ConnectRestException(response.StatusCode, errorCode, message, method.Method, "/" + path);
    }

    private static string Shorten(string text) => text.Length <= 2000 ? text : string.Concat(text.AsSpan(0, 2000), "…");
}
