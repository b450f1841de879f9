using System.Collections.Concurrent;
using Confluent.Kafka;
using SinkIdempotency.Timing;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <content>Producing workloads and single raw records, filling the ledger from delivery reports.</content>
public sealed partial class KafkaProbe
{
    /// <summary>Produces a workload with an idempotent producer (<c>acks=all</c>), appending each acknowledged record to <paramref name="ledger"/> from its delivery report.</summary>
    /// <param name="topic">The topic to produce to.</param>
    /// <param name="workload">The generator; its <see cref="Scenarios.ScenarioWorkload.RecordsPerSecond"/> paces the produce.</param>
    /// <param name="ledger">The ledger that receives one entry per acknowledged record, in acknowledgement order.</param>
    /// <param name="cancellationToken">Cancels producing; records acknowledged so far stay in the ledger.</param>
    /// <returns>A summary of what was acknowledged.</returns>
    /// <exception cref="KafkaException">A record could not be delivered; the message says how many were acknowledged.</exception>
    public Task<ProduceSummary> ProduceWorkloadAsync(string topic, WorkloadGenerator workload, Ledger ledger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return ProduceRecordsAsync(topic, workload.Generate(), ledger, workload.Workload.RecordsPerSecond, cancellationToken);
    }

    /// <summary>Produces the given records with an idempotent producer (<c>acks=all</c>), appending each acknowledged record to <paramref name="ledger"/>.</summary>
    /// <param name="topic">The topic to produce to.</param>
    /// <param name="records">The records, e.g. a slice of <see cref="WorkloadGenerator.Generate"/>.</param>
    /// <param name="ledger">The ledger that receives one entry per acknowledged record.</param>
    /// <param name="recordsPerSecond">The pace, or <see langword="null"/> for unthrottled.</param>
    /// <param name="cancellationToken">Cancels producing; records acknowledged so far stay in the ledger.</param>
    /// <returns>A summary of what was acknowledged.</returns>
    public async Task<ProduceSummary> ProduceRecordsAsync(string topic, IEnumerable<WorkloadRecord> records, Ledger ledger, double? recordsPerSecond = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(ledger);
        var time = _options.TimeProvider;
        var started = time.GetUtcNow();
        var startTicks = time.GetTimestamp();
        var perPartition = new ConcurrentDictionary<int, long>();
        using var window = new SemaphoreSlim(_options.MaxInFlight, _options.MaxInFlight);
        var pending = 1L;
        long acknowledged = 0;
        var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Error? firstError = null;
        long? firstFailedSequence = null;

        void Settled()
        {
            if (Interlocked.Decrement(ref pending) == 0)
            {
                allDelivered.TrySetResult();
            }
        }

        using (var producer = CreateProducer())
        {
            long sequence = 0;
            foreach (var record in records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Volatile.Read(ref firstError) is not null)
                {
                    break;
                }

                if (recordsPerSecond is { } rate)
                {
                    // The rate is a ceiling: no record goes out before its slot, even when a timer fires a tick early.
                    await DelayAtLeast.WaitAsync(startTicks, TimeSpan.FromSeconds(sequence / rate), time, cancellationToken).ConfigureAwait(false);
                }

                await window.WaitAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref pending);
                var captured = record;
                producer.Produce(
                    topic,
                    new Message<byte[]?, byte[]?> { Key = record.KeyBytes, Value = record.ValueBytes },
                    report =>
                    {
                        try
                        {
                            if (report.Error.IsError)
                            {
                                if (Interlocked.CompareExchange(ref firstError, report.Error, null) is null)
                                {
                                    firstFailedSequence = captured.Sequence;
                                }

                                return;
                            }

                            ledger.Append(new LedgerEntry(
                                captured.EventId,
                                report.Topic,
                                report.Partition.Value,
                                report.Offset.Value,
                                captured.Key,
                                captured.Version,
                                captured.ValueHash,
                                time.GetUtcNow()));
                            perPartition.AddOrUpdate(report.Partition.Value, 1, (_, n) => n + 1);
                            Interlocked.Increment(ref acknowledged);
                        }
                        finally
                        {
                            window.Release();
                            Settled();
                        }
                    });
                sequence++;
            }

            Settled();
            using var registration = cancellationToken.Register(() => allDelivered.TrySetCanceled(cancellationToken));
            await allDelivered.Task.ConfigureAwait(false);
        }

        if (firstError is { } error)
        {
            throw new KafkaException(new Error(
                error.Code,
                $"Producing to '{topic}' failed at workload record {firstFailedSequence}: {error.Reason}; {Interlocked.Read(ref acknowledged)} record(s) were acknowledged and are in the ledger."));
        }

        return new ProduceSummary(topic, acknowledged, started, time.GetUtcNow(), perPartition.ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    /// <summary>Produces one raw record (e.g. a poison record) and waits for its acknowledgement.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="key">The key bytes, or <see langword="null"/>.</param>
    /// <param name="value">The value bytes, or <see langword="null"/> (a tombstone).</param>
    /// <param name="headers">Headers to attach, or <see langword="null"/>.</param>
    /// <param name="partition">The partition, or <see langword="null"/> to let the partitioner choose.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The record's position.</returns>
    public async Task<SourcePosition> ProduceRawAsync(string topic, byte[]? key, byte[]? value, IEnumerable<KeyValuePair<string, byte[]?>>? headers = null, int? partition = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value };
        if (headers is not null)
        {
            message.Headers = [];
            foreach (var (name, bytes) in headers)
            {
                message.Headers.Add(name, bytes);
            }
        }

        using var producer = CreateProducer();
        var result = partition is { } p
            ? await producer.ProduceAsync(new TopicPartition(topic, new Partition(p)), message, cancellationToken).ConfigureAwait(false)
            : await producer.ProduceAsync(topic, message, cancellationToken).ConfigureAwait(false);
        return new SourcePosition(result.Topic, result.Partition.Value, result.Offset.Value);
    }

    private IProducer<byte[]?, byte[]?> CreateProducer()
    {
        var config = _endpoint.Configure(new ProducerConfig(), "sinkidempotency-probe-producer");
        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        config.LingerMs = 5;

        // Java clients (and so Kafka Connect's own tooling) place keys with murmur2; librdkafka's default differs.
        config.Partitioner = Confluent.Kafka.Partitioner.Murmur2Random;
        config.MessageTimeoutMs = (int)Math.Min(int.MaxValue, _options.OperationTimeout.TotalMilliseconds * 4);
        return new ProducerBuilder<byte[]?, byte[]?>(config).Build();
    }
}
