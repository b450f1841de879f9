using SinkIdempotency.Reconciliation;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Assessment;

/// <summary>Holds what a dual run measured for one of its two paths (legacy or new): its names, its reconciliations and its group's committed offsets.</summary>
/// <param name="Role">Which path: <c>legacy</c> or <c>new</c>.</param>
/// <param name="Connector">The connector name the run deployed (its group is <c>connect-{connector}</c>).</param>
/// <param name="Table">The target table the connector wrote.</param>
/// <param name="Semantics">The semantics the path was reconciled under (upsert by key for <c>insert.mode=upsert</c> with <c>pk.mode=record_key</c>, else exactly-once effect).</param>
public sealed record DualRunPath(string Role, string Connector, string Table, DeclaredSemantics Semantics)
{
    /// <summary>Gets the consumer group of the path's connector.</summary>
    public string Group => $"connect-{Connector}";

    /// <summary>Gets the reconciliation of the target against the records produced before the legacy path was stopped, or <see langword="null"/> when the run did not get that far.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public ReconciliationReport? AtAlignment { get; init; }

    /// <summary>Gets the group's committed offsets when both paths were compared.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<SourcePartition, long> OffsetsAtAlignment { get; init; } = new Dictionary<SourcePartition, long>();

    /// <summary>Gets the reconciliation at the end of the run, after the legacy path was stopped and more records were produced: the new path against every record, the legacy path against the records before the stop.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public ReconciliationReport? AtEnd { get; init; }

    /// <summary>Gets the group's committed offsets at the end of the run.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<SourcePartition, long> OffsetsAtEnd { get; init; } = new Dictionary<SourcePartition, long>();
}
