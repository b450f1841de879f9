namespace SinkIdempotency.Reconciliation;

/// <summary>Reports what the target holds compared with what was produced and committed, every anomaly found, and the verdict.</summary>
/// <remarks>Serialise with <see cref="ReconciliationReportJson"/>; the schema is documented there.</remarks>
public sealed record ReconciliationReport
{
    /// <summary>Gets the declared semantics the verdict was graded against.</summary>
    /// <value>The semantics of the input.</value>
    public required DeclaredSemantics Semantics { get; init; }

    /// <summary>Gets the verdict: red for any forbidden anomaly, yellow for only allowed ones, green for none.</summary>
    /// <value>The grade from <see cref="VerdictPolicy.Grade"/>.</value>
    public required Verdict Verdict { get; init; }

    /// <summary>Gets when the report was made.</summary>
    /// <value>The reconciler's clock at the end of the reconciliation.</value>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Gets the description of the target that was read.</summary>
    /// <value>The reader's description.</value>
    public required string Target { get; init; }

    /// <summary>Gets the number of produced records in the ledger.</summary>
    /// <value>The ledger's length.</value>
    public required long Produced { get; init; }

    /// <summary>Gets the number of target rows read, duplicates and unexpected rows included.</summary>
    /// <value>The row count of the snapshot.</value>
    public required long TargetRows { get; init; }

    /// <summary>Gets the order-independent checksum of all target rows read (see <see cref="Targets.TargetChecksum"/>).</summary>
    /// <value>The multiset checksum of the snapshot.</value>
    public required ulong TargetChecksum { get; init; }

    /// <summary>Gets the number of produced records present in the target.</summary>
    /// <value>The sum of <see cref="PartitionFigures.InTarget"/>.</value>
    public required long InTarget { get; init; }

    /// <summary>Gets the number of records absent because a newer version of their key is present (upsert only).</summary>
    /// <value>The sum of <see cref="PartitionFigures.Superseded"/>.</value>
    public required long Superseded { get; init; }

    /// <summary>Gets the number of dead-letter records given to the reconciler.</summary>
    /// <value>The count of the input's dead letters.</value>
    public required long DeadLetterRecords { get; init; }

    /// <summary>Gets the number of dead-letter records whose source position is not in the ledger.</summary>
    /// <value>Zero when every dead letter names a produced record.</value>
    public required long UnmatchedDeadLetters { get; init; }

    /// <summary>Gets one summary per anomaly kind, in the order of <see cref="AnomalyKind"/>, zero counts included.</summary>
    /// <value>Seven summaries.</value>
    public required IReadOnlyList<AnomalySummary> Anomalies { get; init; }

    /// <summary>Gets the figures per source partition, ordered by topic and partition.</summary>
    /// <value>One entry per partition named in the ledger or the committed offsets.</value>
    public required IReadOnlyList<PartitionFigures> Partitions { get; init; }

    /// <summary>Gets the summary of one anomaly kind.</summary>
    /// <param name="kind">The anomaly kind.</param>
    /// <returns>The summary with its count and examples.</returns>
    public AnomalySummary this[AnomalyKind kind] => Anomalies[(int)kind];

    /// <summary>Gets the anomaly kinds that occurred and that the declared semantics forbid (Jepsen's bad error types).</summary>
    /// <value>Empty unless the verdict is red.</value>
    public IReadOnlyList<AnomalyKind> ForbiddenAnomalies => [.. Anomalies.Where(a => a.Count > 0 && !a.Allowed).Select(a => a.Kind)];

    /// <summary>Returns a copy in which <c>unseen</c> records are forbidden, with the verdict graded again.</summary>
    /// <returns>The regraded report.</returns>
    /// <remarks>A scenario run forbids them when it cannot prove why the records were never written (see <c>docs/reconciliation.md</c>).</remarks>
    internal ReconciliationReport ForbidUnseen()
    {
        IReadOnlyList<AnomalySummary> anomalies = [.. Anomalies.Select(a => a.Kind == AnomalyKind.Unseen ? a with { Allowed = false } : a)];
        var verdict = anomalies.Any(a => a.Count > 0 && !a.Allowed) ? Verdict.Red : anomalies.Any(a => a.Count > 0) ? Verdict.Yellow : Verdict.Green;
        return this with { Anomalies = anomalies, Verdict = verdict };
    }

    /// <summary>Gets the anomaly kinds that occurred and that the declared semantics allow.</summary>
    /// <value>Empty when the verdict is green.</value>
    public IReadOnlyList<AnomalyKind> AllowedAnomalies => [.. Anomalies.Where(a => a.Count > 0 && a.Allowed).Select(a => a.Kind)];
}
