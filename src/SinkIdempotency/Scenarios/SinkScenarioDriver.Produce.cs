using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <content>Produces workloads with poison records in place.</content>
internal sealed partial class SinkScenarioDriver
{
    /// <inheritdoc />
    public async Task ProduceAsync(ProduceRequest request, Ledger ledger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ledger);
        var workload = request.Workload;
        var generator = new WorkloadGenerator(workload);
        var poison = request.Poison.ToDictionary(p => (long)p.Index);
        var pending = new List<WorkloadRecord>();
        foreach (var record in generator.Generate())
        {
            if (request.Hold is { } hold && request.HoldBefore?.Invoke(record.Sequence) == true)
            {
                // Everything before the hold is acknowledged first, so what was produced is in the topic while it holds.
                await FlushAsync().ConfigureAwait(false);
                await hold(record.Sequence, cancellationToken).ConfigureAwait(false);
            }

            if (!poison.TryGetValue(record.Sequence, out var bad))
            {
                pending.Add(record);
                continue;
            }

            // Everything before the poison is acknowledged first, so the poison sits after it in its partition.
            await FlushAsync().ConfigureAwait(false);
            if (request.BeforePoison is { } beforePoison)
            {
                await beforePoison(bad, cancellationToken).ConfigureAwait(false);
            }

            var value = bad.Value?.Invoke(record) ?? PoisonValue.Encode(record, bad.Kind, workload);
            var position = await _probe.ProduceRawAsync(request.Topic, record.KeyBytes, value, cancellationToken: cancellationToken).ConfigureAwait(false);
            ledger.Append(new LedgerEntry(record.EventId, position.Topic, position.Partition, position.Offset, record.Key, record.Version, record.ValueHash, DateTimeOffset.UtcNow) { Poison = true });
        }

        await FlushAsync().ConfigureAwait(false);

        async Task FlushAsync()
        {
            if (pending.Count > 0)
            {
                await _probe.ProduceRecordsAsync(request.Topic, pending, ledger, workload.RecordsPerSecond, cancellationToken).ConfigureAwait(false);
                pending = [];
            }
        }
    }
}
