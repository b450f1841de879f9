using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace SinkIdempotency.Targets.Search;

/// <summary>Reads the documents of one Elasticsearch (or OpenSearch) index: one row per document, from its <c>_source</c>; a document overwritten under its own id is one row.</summary>
/// <remarks>
/// The index is refreshed first, so every write the cluster acknowledged is visible, then read with a scroll in
/// <c>_doc</c> order, page after page, and the scroll is cleared. An index that does not exist yet (the sink creates it
/// with its first record) reads as empty. Rows carry no Kafka coordinates: a document id is the record key
/// (<c>key.ignore=false</c>) or <c>topic+partition+offset</c> of the topic the sink wrote under, which a router may have renamed.
/// </remarks>
public sealed class ElasticsearchIndexReader : ITargetReader
{
    private readonly Uri _baseUrl;
    private readonly string _index;
    private readonly JsonValueMapping _mapping;
    private readonly HttpMessageHandler? _handler;

    /// <summary>Initializes a reader of one index.</summary>
    /// <param name="baseUrl">The cluster's address, for example <c>http://127.0.0.1:9200/</c>.</param>
    /// <param name="index">The index.</param>
    /// <param name="mapping">Which source fields hold the event id, key, version and hashed content; <see cref="JsonValueMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="handler">The HTTP handler, or <see langword="null"/> for a new one per read.</param>
    /// <param name="pageSize">Documents per scroll page.</param>
    public ElasticsearchIndexReader(Uri baseUrl, string index, JsonValueMapping? mapping = null, HttpMessageHandler? handler = null, int pageSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        _baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _index = index;
        _mapping = mapping ?? JsonValueMapping.Default;
        _handler = handler;
        PageSize = pageSize;
        Description = $"Elasticsearch index {index} at {_baseUrl}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Gets the number of documents per scroll page.</summary>
    public int PageSize { get; }

    /// <summary>Deletes an index; a missing one is not an error.</summary>
    /// <param name="baseUrl">The cluster's address.</param>
    /// <param name="index">The index.</param>
    /// <param name="handler">The HTTP handler, or <see langword="null"/> for a new one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the index is gone.</returns>
    public static async Task DeleteIndexAsync(Uri baseUrl, string index, HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        using var http = Client(baseUrl, handler);
        using var response = await http.DeleteAsync(Uri.EscapeDataString(index), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, $"delete index {index}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var http = Client(_baseUrl, _handler);
        var index = Uri.EscapeDataString(_index);
        using (var refresh = await http.PostAsync($"{index}/_refresh", null, cancellationToken).ConfigureAwait(false))
        {
            if (refresh.StatusCode == HttpStatusCode.NotFound)
            {
                yield break;
            }

            await EnsureSuccessAsync(refresh, $"refresh index {_index}", cancellationToken).ConfigureAwait(false);
        }

        string? scrollId = null;
        try
        {
            using var first = await http.PostAsJsonAsync($"{index}/_search?scroll=1m", new { size = PageSize, sort = new[] { "_doc" } }, cancellationToken).ConfigureAwait(false);
            if (first.StatusCode == HttpStatusCode.NotFound)
            {
                yield break;
            }

            var page = await ReadPageAsync(first, $"search index {_index}", cancellationToken).ConfigureAwait(false);
            while (true)
            {
                scrollId = page.ScrollId ?? scrollId;
                if (page.Sources.Count == 0)
                {
                    yield break;
                }

                foreach (var source in page.Sources)
                {
                    yield return JsonValueFields.ToRow(source, _mapping, null);
                }

                if (scrollId is null)
                {
                    yield break;
                }

                using var next = await http.PostAsJsonAsync("_search/scroll", new { scroll = "1m", scroll_id = scrollId }, cancellationToken).ConfigureAwait(false);
                page = await ReadPageAsync(next, $"scroll index {_index}", cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (scrollId is not null)
            {
                using var clear = new HttpRequestMessage(HttpMethod.Delete, "_search/scroll") { Content = JsonContent.Create(new { scroll_id = new[] { scrollId } }) };
                try
                {
                    using var cleared = await http.SendAsync(clear, CancellationToken.None).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    // The scroll expires on its own after a minute.
                }
            }
        }
    }

    private static HttpClient Client(Uri baseUrl, HttpMessageHandler? handler)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        http.Timeout = TimeSpan.FromSeconds(30);
        return http;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"Elasticsearch refused to {what}: HTTP {(int)response.StatusCode} {body.Trim()}");
        }
    }

    private static async Task<(string? ScrollId, List<JsonElement> Sources)> ReadPageAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var scrollId = root.TryGetProperty("_scroll_id", out var id) ? id.GetString() : null;
        var sources = new List<JsonElement>();
        if (root.TryGetProperty("hits", out var hits) && hits.TryGetProperty("hits", out var list))
        {
            foreach (var hit in list.EnumerateArray())
            {
                if (hit.TryGetProperty("_source", out var source))
                {
                    sources.Add(source.Clone());
                }
            }
        }

        return (scrollId, sources);
    }
}
