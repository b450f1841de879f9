using SinkIdempotency.Workload;

namespace SinkIdempotency.Reconciliation;

/// <summary>Gathers what the reconciler compares, apart from the target rows: the ledger, the committed offsets, the dead-letter records and the claim.</summary>
public sealed record ReconciliationInput
{
    /// <summary>Gets the produced records; event ids must be unique.</summary>
    /// <value>No default; required.</value>
    public required IReadOnlyList<LedgerEntry> Ledger { get; init; }

    /// <summary>Gets the semantics the team declared for the sink.</summary>
    /// <value>No default; required.</value>
    public required DeclaredSemantics Semantics { get; init; }

    /// <summary>Gets the sink's consumer-group committed offsets (the next offset to read) per partition, read after the settle deadline.</summary>
    /// <value>Empty: nothing committed, so every absent record is at most unseen.</value>
    public IReadOnlyDictionary<SourcePartition, long> CommittedOffsets { get; init; } = new Dictionary<SourcePartition, long>();

    /// <summary>Gets a value indicating whether the target had settled (stopped changing at the sink's own rhythm) when it was read.</summary>
    /// <value><see langword="true"/>. With <see langword="false"/> an absent record the group committed past is <c>unseen</c>, not <c>lost</c>: it may still be on its way.</value>
    public bool TargetSettled { get; init; } = true;

    /// <summary>Gets the records found in the dead-letter topic.</summary>
    /// <value>Empty.</value>
    public IReadOnlyCollection<DeadLetterRecord> DeadLetters { get; init; } = [];

    /// <summary>Gets a value indicating whether the ledger marks every record produced malformed on purpose (<see cref="LedgerEntry.Poison"/>), as a scenario run's ledger does.</summary>
    /// <value>
    /// <see langword="false"/>: a dead-letter record accounts for any record (a pipeline read back by <c>reconcile</c>, where
    /// nobody knows which records were meant to be bad).
    /// </value>
    /// <remarks>
    /// When <see langword="true"/>, only poison records may be <c>dead-lettered</c>. An ordinary record in the dead-letter
    /// topic is one the sink gave up on although it was well-formed (a converter that cannot read any record, a target
    /// that refused it): its effect is missing, so it counts as <c>lost</c>, with the dead-letter record named in the example.
    /// </remarks>
    public bool PoisonMarked { get; init; }
}
