using Microsoft.Extensions.Logging;
using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>
/// Writes records to PostgreSQL as Confluent's <c>JdbcSinkTask</c> does: synchronously in <c>put</c>, one transaction per put,
/// SQL errors retried through <see cref="RetriableException"/> up to <c>max.retries</c> with <c>retry.backoff.ms</c>, then the task fails.
/// </summary>
internal sealed class PostgresSinkTask(ILogger log) : SinkTask
{
    private PostgresSinkConfig? _config;
    private PostgresWriter? _writer;
    private int _remainingRetries;

    public override string Version => PostgresSinkConnector.ConnectorVersion;

    private PostgresSinkConfig Config => _config ?? throw new InvalidOperationException("The task was not started.");

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = PostgresSinkConfig.Parse(config);
        _writer = new PostgresWriter(_config);
        _remainingRetries = _config.MaxRetries;
        return Task.CompletedTask;
    }

    public override async Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var first = records[0];
        log.LogDebug("Received {Count} records. First record kafka coordinates:({Topic}-{Partition}-{Offset}). Writing them to the database...", records.Count, first.Topic, first.KafkaPartition, first.KafkaOffset);
        try
        {
            _writer ??= new PostgresWriter(Config);
            await _writer.WriteAsync(records, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsSqlError(e))
        {
            log.LogWarning(e, "Write of {Count} records failed, remainingRetries={Remaining}", records.Count, _remainingRetries);
            await ResetWriterAsync().ConfigureAwait(false);
            if (_remainingRetries > 0)
            {
                _remainingRetries--;
                Context.Timeout(TimeSpan.FromMilliseconds(Config.RetryBackoffMs));
                throw new RetriableException(e.Message, e);
            }

            throw new ConnectException(e.Message, e);
        }

        _remainingRetries = Config.MaxRetries;
    }

    public override Task FlushAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken) => await ResetWriterAsync().ConfigureAwait(false);

    private static bool IsSqlError(Exception e) =>
        e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or IOException
        || (e is InvalidOperationException && e.InnerException is NpgsqlException);

    private async Task ResetWriterAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }
    }
}
