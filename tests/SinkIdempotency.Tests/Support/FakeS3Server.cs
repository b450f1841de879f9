using System.Collections.Concurrent;
using System.Security;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Targets.ObjectStore;

namespace SinkIdempotency.Tests.Support;

/// <summary>
/// An in-process S3 endpoint on 127.0.0.1: path-style buckets, ListObjectsV2 with pages of <see cref="PageSize"/> keys
/// and continuation tokens, GET/PUT/DELETE of objects, bucket creation. It recomputes every request's Signature Version 4
/// from what it received and answers 403 when the client's differs, so a client that signs something other than what it
/// sends fails here as it would against S3.
/// </summary>
public sealed class FakeS3Server : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly S3Connection _credentials;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _buckets = new(StringComparer.Ordinal);

    private FakeS3Server(WebApplication app, S3Connection credentials)
    {
        _app = app;
        _credentials = credentials;
    }

    public S3Connection Connection { get; private set; } = null!;

    public int PageSize { get; set; } = 1000;

    public int ListRequests;

    public int RejectedSignatures;

    public static async Task<FakeS3Server> StartAsync(string accessKey = "test-access", string secretKey = "test-secret-key")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeS3Server(app, new S3Connection(new Uri("http://unused/"), "us-east-1", accessKey, secretKey));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Connection = server._credentials with { ServiceUrl = new Uri(app.Urls.Single() + "/") };
        return server;
    }

    public void CreateBucket(string bucket) => _buckets.TryAdd(bucket, new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal));

    public void Put(string bucket, string key, string content) => _buckets[bucket][key] = Encoding.UTF8.GetBytes(content);

    public IReadOnlyList<string> Keys(string bucket) => [.. _buckets[bucket].Keys.Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var path = Uri.UnescapeDataString(request.Path.Value ?? "/");
        var query = request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty))).ToList();
        var amzDate = request.Headers["x-amz-date"].ToString();
        var payloadHash = request.Headers["x-amz-content-sha256"].ToString();
        var signedAt = DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        var (expected, _) = S3Signature.Authorize(request.Method, request.Host.Value ?? string.Empty, path, query, payloadHash, signedAt, _credentials);
        if (request.Headers.Authorization.ToString() != expected || payloadHash != Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)))
        {
            Interlocked.Increment(ref RejectedSignatures);
            await Answer(context, 403, "<Error><Code>SignatureDoesNotMatch</Code></Error>");
            return;
        }

        var slash = path.IndexOf('/', 1);
        var bucket = slash < 0 ? path[1..] : path[1..slash];
        var key = slash < 0 ? string.Empty : path[(slash + 1)..];
        if (request.Method == "PUT" && key.Length == 0)
        {
            await Answer(context, _buckets.TryAdd(bucket, new(StringComparer.Ordinal)) ? 200 : 409, _buckets.ContainsKey(bucket) ? "<Error><Code>BucketAlreadyOwnedByYou</Code></Error>" : string.Empty);
            return;
        }

        if (!_buckets.TryGetValue(bucket, out var objects))
        {
            await Answer(context, 404, "<Error><Code>NoSuchBucket</Code></Error>");
            return;
        }

        switch (request.Method, key.Length)
        {
            case ("GET", 0):
                Interlocked.Increment(ref ListRequests);
                await Answer(context, 200, List(objects, request.Query["prefix"].ToString(), request.Query["continuation-token"].ToString()));
                return;
            case ("GET", _):
                if (objects.TryGetValue(key, out var content))
                {
                    context.Response.StatusCode = 200;
                    await context.Response.Body.WriteAsync(content);
                }
                else
                {
                    await Answer(context, 404, "<Error><Code>NoSuchKey</Code></Error>");
                }

                return;
            case ("PUT", _):
                objects[key] = body;
                await Answer(context, 200, string.Empty);
                return;
            case ("DELETE", _):
                objects.TryRemove(key, out _);
                await Answer(context, 204, string.Empty);
                return;
            default:
                await Answer(context, 405, string.Empty);
                return;
        }
    }

    private string List(ConcurrentDictionary<string, byte[]> objects, string prefix, string token)
    {
        var keys = objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Where(k => token.Length == 0 || string.CompareOrdinal(k, token) > 0).ToList();
        var page = keys.Take(PageSize).ToList();
        var truncated = keys.Count > page.Count;
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        foreach (var key in page)
        {
            xml.Append("<Contents><Key>").Append(SecurityElement.Escape(key)).Append("</Key></Contents>");
        }

        xml.Append("<IsTruncated>").Append(truncated ? "true" : "false").Append("</IsTruncated>");
        if (truncated)
        {
            xml.Append("<NextContinuationToken>").Append(SecurityElement.Escape(page[^1])).Append("</NextContinuationToken>");
        }

        return xml.Append("</ListBucketResult>").ToString();
    }

    private static async Task Answer(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        if (body.Length > 0)
        {
            await context.Response.WriteAsync(body);
        }
    }
}
