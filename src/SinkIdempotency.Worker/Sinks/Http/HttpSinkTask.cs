using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Http;

/// <summary>
/// POSTs every record's value (JSON) to <c>http.url</c>, in order, synchronously in <c>put</c>. A request that fails with a 5xx,
/// 408 or 429 status, a timeout or a connection error is sent again in place up to <c>max.retries</c> times; a record that still
/// fails (or gets another 4xx) goes to the errant-record reporter when there is one, else the task fails.
/// </summary>
/// <remarks>
/// With <c>http.idempotency.key.enable</c> each request carries <c>topic+partition+offset</c> as its idempotency key, the same for
/// a retry and for a replay, so a target that honours keys applies every record once.
/// </remarks>
internal sealed class HttpSinkTask(ILogger log) : SinkTask
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private HttpSinkConfig? _config;
    private HttpClient? _client;

    public override string Version => HttpSinkConnector.ConnectorVersion;

    private HttpSinkConfig Config => _config ?? throw new InvalidOperationException("The task was not started.");

    internal static string IdempotencyKey(SinkRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"{record.OriginalTopic}+{record.OriginalKafkaPartition}+{record.OriginalKafkaOffset}");

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = HttpSinkConfig.Parse(config);
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan };
        return Task.CompletedTask;
    }

    public override async Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            var error = await SendWithRetriesAsync(record, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                continue;
            }

            if (Context.ErrantRecordReporter is { } reporter)
            {
                log.LogWarning(error, "Reporting {Record} as errant: {Message}", record, error.Message);
                await reporter.ReportAsync(record, error).ConfigureAwait(false);
            }
            else
            {
                throw error;
            }
        }
    }

    public override Task FlushAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _client?.Dispose();
        _client = null;
        return Task.CompletedTask;
    }

    private async Task<ConnectException?> SendWithRetriesAsync(SinkRecord record, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(record.Value?.ToJsonString() ?? "null");
        for (var attempt = 0; ; attempt++)
        {
            var (retriable, failure) = await SendOnceAsync(record, body, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                return null;
            }

            if (!retriable)
            {
                return new ConnectException($"HTTP request for {record} failed and is not retriable: {failure}");
            }

            if (attempt >= Config.MaxRetries)
            {
                return new ConnectException($"HTTP request for {record} failed after {attempt + 1} attempts (max.retries={Config.MaxRetries}): {failure}");
            }

            log.LogWarning("HTTP request for {Record} failed (attempt {Attempt}), retrying in {Backoff} ms: {Failure}", record, attempt + 1, Config.RetryBackoffMs, failure);
            await Task.Delay(Config.RetryBackoffMs, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(bool Retriable, string? Failure)> SendOnceAsync(SinkRecord record, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Config.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.Add("X-Kafka-Topic", record.OriginalTopic);
        request.Headers.Add("X-Kafka-Partition", record.OriginalKafkaPartition.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Kafka-Offset", record.OriginalKafkaOffset.ToString(CultureInfo.InvariantCulture));
        if (Config.IdempotencyKeyEnabled)
        {
            request.Headers.Add(Config.IdempotencyKeyHeader, IdempotencyKey(record));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Config.RequestTimeoutMs);
        try
        {
            using var response = await _client!.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (false, null);
            }

            var retriable = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            return (retriable, $"status {status} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (true, $"no response within http.request.timeout.ms={Config.RequestTimeoutMs}");
        }
        catch (HttpRequestException e)
        {
            return (true, e.Message);
        }
    }
}
