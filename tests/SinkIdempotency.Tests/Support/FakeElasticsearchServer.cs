using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SinkIdempotency.Tests.Support;

/// <summary>
/// An in-process Elasticsearch on 127.0.0.1 answering the calls the index reader makes: <c>_refresh</c>, <c>_search?scroll</c>
/// with <c>size</c>, <c>_search/scroll</c> and clearing a scroll, and deleting an index; a missing index answers 404 with
/// <c>index_not_found_exception</c>. Documents are indexed by id, so indexing an id again overwrites it.
/// </summary>
public sealed class FakeElasticsearchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, SortedDictionary<string, string>> _indexes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Index, int Position, int Size)> _scrolls = new(StringComparer.Ordinal);

    private FakeElasticsearchServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Refreshes;

    public int ClearedScrolls;

    public int OpenScrolls => _scrolls.Count;

    public static async Task<FakeElasticsearchServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeElasticsearchServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Url = new Uri(app.Urls.Single() + "/");
        return server;
    }

    public void Index(string index, string id, string source)
    {
        var documents = _indexes.GetOrAdd(index, _ => new SortedDictionary<string, string>(StringComparer.Ordinal));
        lock (documents)
        {
            documents[id] = source;
        }
    }

    public bool HasIndex(string index) => _indexes.ContainsKey(index);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        if (path == "/_search/scroll")
        {
            var json = JsonNode.Parse(body)!;
            if (request.Method == "DELETE")
            {
                foreach (var id in json["scroll_id"]!.AsArray())
                {
                    if (_scrolls.TryRemove(id!.GetValue<string>(), out _))
                    {
                        Interlocked.Increment(ref ClearedScrolls);
                    }
                }

                await Answer(context, 200, """{"succeeded":true}""");
                return;
            }

            var scrollId = json["scroll_id"]!.GetValue<string>();
            var (index, position, size) = _scrolls[scrollId];
            _scrolls[scrollId] = (index, position + size, size);
            await Answer(context, 200, Page(scrollId, index, position, size));
            return;
        }

        var parts = path.Trim('/').Split('/');
        var name = parts[0];
        if (!_indexes.ContainsKey(name))
        {
            await Answer(context, 404, $$"""{"error":{"type":"index_not_found_exception","index":"{{name}}"},"status":404}""");
            return;
        }

        switch (request.Method, parts.Length > 1 ? parts[1] : string.Empty)
        {
            case ("POST", "_refresh"):
                Interlocked.Increment(ref Refreshes);
                await Answer(context, 200, """{"_shards":{"total":1,"successful":1,"failed":0}}""");
                return;
            case ("POST", "_search"):
                var size = JsonNode.Parse(body)!["size"]!.GetValue<int>();
                var scrollId = Guid.NewGuid().ToString("N");
                _scrolls[scrollId] = (name, size, size);
                await Answer(context, 200, Page(scrollId, name, 0, size));
                return;
            case ("DELETE", ""):
                _indexes.TryRemove(name, out _);
                await Answer(context, 200, """{"acknowledged":true}""");
                return;
            default:
                await Answer(context, 405, "{}");
                return;
        }
    }

    private string Page(string scrollId, string index, int position, int size)
    {
        var documents = _indexes[index];
        List<KeyValuePair<string, string>> page;
        lock (documents)
        {
            page = [.. documents.Skip(position).Take(size)];
        }

        var hits = new JsonArray([.. page.Select(d => (JsonNode)new JsonObject { ["_index"] = index, ["_id"] = d.Key, ["_source"] = JsonNode.Parse(d.Value) })]);
        return new JsonObject { ["_scroll_id"] = scrollId, ["hits"] = new JsonObject { ["hits"] = hits } }.ToJsonString(new JsonSerializerOptions());
    }

    private static async Task Answer(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }
}
