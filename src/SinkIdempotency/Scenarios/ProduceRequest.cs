namespace SinkIdempotency.Scenarios;

/// <summary>Asks an environment to produce a scenario's workload to its topic.</summary>
/// <param name="Topic">The topic, created by the run.</param>
/// <param name="Workload">The shape of the workload.</param>
/// <param name="Poison">The records to replace with poison records; empty for none.</param>
public sealed record ProduceRequest(string Topic, ScenarioWorkload Workload, IReadOnlyList<PoisonRecord> Poison)
{
    /// <summary>Gets the step the producer awaits before each poison record, once every record before it is acknowledged.</summary>
    /// <value><see langword="null"/>: poison records are produced in stride.</value>
    /// <remarks>
    /// The runner uses it to let the sink drain the records before a poison record (so a sink that stops on it has written
    /// and committed everything before it) and to constrain the target for poison that must fail there.
    /// </remarks>
    public Func<PoisonRecord, CancellationToken, Task>? BeforePoison { get; init; }

    /// <summary>Gets whether the producer awaits <see cref="Hold"/> before the record at a given index, once every record before it is acknowledged.</summary>
    /// <value><see langword="null"/>: the stream is never held.</value>
    /// <remarks>
    /// A fault uses it to keep records to come while it acts, in one or several held steps (see
    /// <see cref="Faults.FaultContext.HoldStreamBefore"/>); asked before every record, so holds may be added while the stream runs.
    /// </remarks>
    public Func<long, bool>? HoldBefore { get; init; }

    /// <summary>Gets the step the producer awaits before a record <see cref="HoldBefore"/> accepts, given that record's index.</summary>
    /// <value><see langword="null"/>: the stream is never held.</value>
    public Func<long, CancellationToken, Task>? Hold { get; init; }
}
