using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>
/// Writes records to PostgreSQL, MySQL or MariaDB (the dialect <c>connection.url</c> names) as Confluent's <c>JdbcSinkTask</c> does: synchronously in <c>put</c>, one transaction per put,
/// SQL errors retried through <see cref="RetriableException"/> up to <c>max.retries</c> with <c>retry.backoff.ms</c>; then, with an
/// errant record reporter (a dead-letter queue or <c>errors.log.enable</c>), each record is written on its own and the ones that
/// still fail are reported, otherwise the task fails with the error that names the refused record.
/// </summary>
internal sealed class PostgresSinkTask(ILogger log) : SinkTask
{
    private PostgresSinkConfig? _config;
    private RelationalWriter? _writer;
    private int _remainingRetries;

    public override string Version => PostgresSinkConnector.ConnectorVersion;

    private PostgresSinkConfig Config => _config ?? throw new InvalidOperationException("The task was not started.");

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = PostgresSinkConfig.Parse(config);
        _writer = new RelationalWriter(_config);
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
            _writer ??= new RelationalWriter(Config);
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

            if (Context.ErrantRecordReporter is not { } reporter)
            {
                throw new ConnectException(e.Message, e);
            }

            await UnrollAndRetryAsync(records, reporter, cancellationToken).ConfigureAwait(false);
        }

        _remainingRetries = Config.MaxRetries;
    }

    // The JDBC sink's unrollAndRetry: once the retries are spent, each record is written on its own and every one that
    // still fails goes to the errant record reporter (the dead-letter queue), so one bad record no longer blocks the rest.
    private async Task UnrollAndRetryAsync(IReadOnlyList<SinkRecord> records, IErrantRecordReporter reporter, CancellationToken cancellationToken)
    {
        await ResetWriterAsync().ConfigureAwait(false);
        foreach (var record in records)
        {
            try
            {
                _writer ??= new RelationalWriter(Config);
                await _writer.WriteAsync([record], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsSqlError(e) || e is TableAlterOrCreateException)
            {
                log.LogWarning(e, "Record {Topic}-{Partition}@{Offset} failed on its own; reporting it", record.Topic, record.KafkaPartition, record.KafkaOffset);
                await reporter.ReportAsync(record, e).ConfigureAwait(false);
                await ResetWriterAsync().ConfigureAwait(false);
            }
        }
    }

    public override Task FlushAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken) => await ResetWriterAsync().ConfigureAwait(false);

    private bool IsSqlError(Exception e) =>
        e is RecordRejectedException or System.Net.Sockets.SocketException or TimeoutException or IOException || Config.Dialect.IsSqlError(e);

    private async Task ResetWriterAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }
    }
}
