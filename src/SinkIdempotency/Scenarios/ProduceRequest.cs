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

    /// <summary>Gets the index of the record before which the producer awaits <see cref="Hold"/>, once every record before it is acknowledged.</summary>
    /// <value><see langword="null"/>: the stream is never held.</value>
    /// <remarks>A fault uses it to keep records to come while it acts (see <see cref="Faults.FaultContext.HoldStreamBefore"/>).</remarks>
    public long? HoldBefore { get; init; }

    /// <summary>Gets the step the producer awaits before the record at <see cref="HoldBefore"/>.</summary>
    /// <value><see langword="null"/>: the stream is never held.</value>
    public Func<CancellationToken, Task>? Hold { get; init; }
}
