using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SinkIdempotency.Tests.Support;

/// <summary>
/// A Kestrel server on 127.0.0.1 that answers like Kafka Connect with canned JSON (copied from Connect's documented
/// shapes) and records every request, so the REST client's requests and parsing can be checked exactly.
/// </summary>
public sealed class FakeConnectServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Queue<CannedResponse>> _responses = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeConnectServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeConnectServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeConnectServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Url = new Uri(app.Urls.Single() + "/");
        return server;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with the responses in order; the last one repeats.</summary>
    public void Respond(string method, string path, params CannedResponse[] responses) =>
        _responses[Key(method, path)] = new Queue<CannedResponse>(responses);

    public void Respond(string method, string path, int status, string? json = null) =>
        Respond(method, path, new CannedResponse(status, json));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Key(string method, string path) => $"{method} {path}";

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            body,
            context.Request.ContentType));

        CannedResponse response;
        if (_responses.TryGetValue(Key(context.Request.Method, context.Request.Path.Value ?? string.Empty), out var queue))
        {
            lock (queue)
            {
                response = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
            }
        }
        else
        {
            // Jersey's answer for an unknown resource, mapped by Connect's ConnectExceptionMapper.
            response = new CannedResponse(404, """{"error_code":404,"message":"HTTP 404 Not Found"}""");
        }

        context.Response.StatusCode = response.Status;
        if (response.Json is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Json);
        }
    }
}

public sealed record CannedResponse(int Status, string? Json = null);

public sealed record RecordedRequest(string Method, string Path, string Query, string Body, string? ContentType);
