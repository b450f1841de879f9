using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>
/// Rebuilds the target from Kafka after history older than the retention is gone: stop the connector, delete the oldest
/// records (DeleteRecords, as retention would), drop the target table, reset the offsets to 0 (before the new log start),
/// resume, and reconcile what the rebuild holds.
/// </summary>
/// <remarks>
/// <para>
/// Runs after the pipeline settled once, so the reconciliation before the fault shows every record in the target. The
/// records the cut deleted were written before it; the loss is the rebuild's: a fresh target replayed from Kafka can hold
/// only what Kafka still keeps. The reconciliation after the fault reports each deleted record as <c>lost</c> (absent and
/// committed past), except under upsert semantics a record whose key has a newer record the cut kept (the rebuilt row holds
/// that newer version, which is what an upsert target should hold). No sink can pass: the verdict is red by design, so this
/// is an assessment measurement, not a column of the known-answer matrix (<see cref="FaultCatalog.Measurements"/>).
/// </para>
/// <para>
/// The evidence names the cut per partition (offsets deleted, log start after it) and the topic's <c>retention.ms</c> and
/// <c>retention.bytes</c> as the cluster describes them, so a reader sees which history a rebuild needs and what the topic
/// keeps. The reset asks for offset 0, below the log start: the sink's consumer gets OFFSET_OUT_OF_RANGE and starts at the
/// log start by <c>auto.offset.reset=earliest</c> (Connect's default for sinks), as after a real reset past retention.
/// </para>
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class ReplayBeyondRetention(ReplayBeyondRetentionOptions? options = null) : Fault
{
    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public ReplayBeyondRetentionOptions Options { get; } = Validated(options ?? new ReplayBeyondRetentionOptions());

    /// <inheritdoc />
    public override string Name => "replay-beyond-retention";

    /// <inheritdoc />
    public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.DeleteRecords | ConnectorReset.Required(Options.Method);

    /// <inheritdoc />
    protected internal override FaultTiming Timing => FaultTiming.AfterSettle;

    /// <inheritdoc />
    public override string? MissingCapabilityReason(EnvironmentCapabilities available) =>
        ConnectorReset.MissingResetReason(Options.Method, available, "Replay beyond retention") ?? base.MissingCapabilityReason(available);

    /// <summary>Computes the offset before which the cut deletes a partition's records.</summary>
    /// <param name="endOffset">The partition's end offset (records 0 to <paramref name="endOffset"/> - 1 exist).</param>
    /// <param name="deletedShare">The share of the partition to delete, above 0 and below 1.</param>
    /// <returns>0 for an empty partition; otherwise the share rounded down, at least 1 and, for two records or more, at most <paramref name="endOffset"/> - 1.</returns>
    public static long CutOffset(long endOffset, double deletedShare)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(endOffset);
        if (endOffset == 0)
        {
            return 0;
        }

        var cut = (long)Math.Floor(endOffset * deletedShare);
        return Math.Clamp(cut, 1, Math.Max(1, endOffset - 1));
    }

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var names = context.Names;
        if (await ConnectorReset.StopAsync(context, Options.Timeout, cancellationToken).ConfigureAwait(false) is { } notStopped)
        {
            return new FaultOutcome(false, notStopped);
        }

        var ends = await context.Environment.GetEndOffsetsAsync(names.Topic, cancellationToken).ConfigureAwait(false);
        var cut = ends.Where(p => p.Value > 0).ToDictionary(p => p.Key, p => CutOffset(p.Value, Options.DeletedShare));
        var retention = await DescribeRetentionAsync(context, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<SourcePartition, long> starts;
        try
        {
            starts = await context.Environment.DeleteRecordsBeforeAsync(names.Topic, cut, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var detail = $"The records could not be deleted: {ex.Message}";
            context.Record("gave-up", detail);
            await context.Environment.ResumeConnectorAsync(names.Connector, cancellationToken).ConfigureAwait(false);
            return new FaultOutcome(false, detail);
        }

        var wrong = cut.Where(p => !starts.TryGetValue(p.Key, out var start) || start != p.Value).ToList();
        if (wrong.Count > 0)
        {
            var detail = "The cluster answered DeleteRecords with other log start offsets than asked: "
                + string.Join(", ", wrong.Select(p => Invariant($"partition {p.Key.Partition} asked {p.Value}, got {(starts.TryGetValue(p.Key, out var s) ? s : -1)}")));
            context.Record("gave-up", detail);
            await context.Environment.ResumeConnectorAsync(names.Connector, cancellationToken).ConfigureAwait(false);
            return new FaultOutcome(false, detail);
        }

        var deleted = cut.Values.Sum();
        var perPartition = string.Join("; ", cut.OrderBy(p => p.Key.Partition).Select(p => Invariant($"partition {p.Key.Partition}: offsets 0-{p.Value - 1} deleted, log start now {p.Value} of end {ends[p.Key]}")));
        context.Record("delete-records", Invariant($"Deleted {deleted} record(s) of {names.Topic} standing in for retention ({retention}): {perPartition}."));

        if (Options.RebuildTarget)
        {
            await context.SinkTarget.DropTableAsync(context.SinkTarget.Schema, names.Table, cancellationToken).ConfigureAwait(false);
            context.Record("drop-target-table", $"Dropped {context.SinkTarget.Schema}.{names.Table} so the replay rebuilds the target from what Kafka still holds.");
        }

        var zero = ends.Keys.ToDictionary(p => p, _ => 0L);
        if (await ConnectorReset.MoveAndResumeAsync(context, Options.Method, zero, "reset to offset 0 (before the log start)", Options.Timeout, cancellationToken).ConfigureAwait(false) is { } failed)
        {
            return new FaultOutcome(false, failed);
        }

        var target = Options.RebuildTarget ? "rebuilt the target from" : "replayed over the existing target";
        return new FaultOutcome(true, Invariant($"Deleted the oldest {deleted} record(s) ({perPartition}; {retention}), {target} offset 0 and resumed: a rebuild cannot hold the deleted records."));
    }

    private static async Task<string> DescribeRetentionAsync(FaultContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Environment.GetTopicRetentionAsync(context.Names.Topic, cancellationToken).ConfigureAwait(false) is { } r
                ? Invariant($"topic retention.ms={r.RetentionMs}, retention.bytes={r.RetentionBytes}")
                : "topic retention not described by this environment";
        }
        catch (InvalidOperationException ex)
        {
            return $"topic retention could not be described: {ex.Message}";
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static ReplayBeyondRetentionOptions Validated(ReplayBeyondRetentionOptions options)
    {
        options.Validate();
        return options;
    }
}
