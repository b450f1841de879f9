using System.Net;
using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace SinkIdempotency.Targets.ObjectStore;

/// <summary>Talks to an S3-compatible store over HTTP with path-style addresses and Signature Version 4: lists, reads, writes and deletes objects and creates buckets. Only what the harness needs; no S3 SDK is served to this project.</summary>
public sealed class S3Client : IDisposable
{
    private static readonly XNamespace S3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
    private readonly HttpClient _http;
    private readonly S3Connection _connection;
    private readonly TimeProvider _time;

    /// <summary>Initializes a client.</summary>
    /// <param name="connection">The store's address, region and credentials.</param>
    /// <param name="time">The clock requests are signed with.</param>
    /// <param name="handler">The HTTP handler, or <see langword="null"/> for a new one.</param>
    public S3Client(S3Connection connection, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _time = time ?? TimeProvider.System;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>Lists the keys under a prefix, page after page (<c>ListObjectsV2</c>), in the store's order (UTF-8 binary).</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="prefix">The key prefix.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The keys.</returns>
    /// <exception cref="InvalidOperationException">The store refused the request; the message carries its answer.</exception>
    public async IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var query = new List<KeyValuePair<string, string>> { new("list-type", "2"), new("prefix", prefix) };
            if (token is not null)
            {
                query.Add(new("continuation-token", token));
            }

            using var response = await SendAsync(HttpMethod.Get, "/" + bucket, query, null, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, body, $"list s3://{bucket}/{prefix}");
            var result = XDocument.Parse(body).Root ?? throw new InvalidOperationException($"The store answered the listing of s3://{bucket}/{prefix} with an empty document.");
            foreach (var contents in result.Elements(S3Namespace + "Contents"))
            {
                yield return (string?)contents.Element(S3Namespace + "Key") ?? string.Empty;
            }

            token = (string?)result.Element(S3Namespace + "IsTruncated") == "true" ? (string?)result.Element(S3Namespace + "NextContinuationToken") : null;
        }
        while (token is not null);
    }

    /// <summary>Reads an object.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The object's bytes, or <see langword="null"/> when it does not exist (deleted since it was listed).</returns>
    public async Task<byte[]?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/{bucket}/{key}", [], null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, System.Text.Encoding.UTF8.GetString(bytes), $"read s3://{bucket}/{key}");
        return bytes;
    }

    /// <summary>Writes an object.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The key.</param>
    /// <param name="content">The content.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the store has the object.</returns>
    public async Task PutAsync(string bucket, string key, byte[] content, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/{bucket}/{key}", [], content, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), $"write s3://{bucket}/{key}");
    }

    /// <summary>Deletes an object; a missing one is not an error.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>A task that completes when the object is gone.</returns>
    public async Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/{bucket}/{key}", [], null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            EnsureSuccess(response, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), $"delete s3://{bucket}/{key}");
        }
    }

    /// <summary>Creates a bucket; one this account already owns is not an error.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the bucket exists.</returns>
    public async Task CreateBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Put, "/" + bucket, [], null, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict && body.Contains("BucketAlreadyOwnedByYou", StringComparison.Ordinal))
        {
            return;
        }

        EnsureSuccess(response, body, $"create bucket {bucket}");
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private static void EnsureSuccess(HttpResponseMessage response, string body, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The S3 store refused to {what}: HTTP {(int)response.StatusCode} {body.Trim()}");
        }
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> query, byte[]? content, CancellationToken cancellationToken)
    {
        var payloadHash = content is null ? S3Signature.EmptyPayloadHash : S3Signature.Hex(System.Security.Cryptography.SHA256.HashData(content));
        var basePath = _connection.ServiceUrl.AbsolutePath.TrimEnd('/');
        var fullPath = basePath + path;
        var host = _connection.ServiceUrl.IsDefaultPort ? _connection.ServiceUrl.Host : $"{_connection.ServiceUrl.Host}:{_connection.ServiceUrl.Port}";
        var (authorization, amzDate) = S3Signature.Authorize(method.Method, host, fullPath, query, payloadHash, _time.GetUtcNow(), _connection);
        var queryText = string.Join('&', query.Select(p => S3Signature.Encode(p.Key, keepSlash: false) + "=" + S3Signature.Encode(p.Value, keepSlash: false)));
        var uri = new Uri(_connection.ServiceUrl.GetLeftPart(UriPartial.Authority) + S3Signature.Encode(fullPath, keepSlash: true) + (queryText.Length > 0 ? "?" + queryText : string.Empty));
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (content is not null)
        {
            request.Content = new ByteArrayContent(content);
        }

        return SendAndDisposeAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAndDisposeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
