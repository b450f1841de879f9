using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <summary>Asks the workload producer to replace one record of the sequence with a poison record.</summary>
/// <param name="Index">The zero-based position in the produced sequence.</param>
/// <param name="Kind">How the record is malformed.</param>
/// <remarks>
/// The record keeps its event id, key and place in the ledger, flagged as poison: the reconciler allows it to be
/// dead-lettered or to stop a task, and reports it as <c>silently-dropped</c> when the connector skips it without a trace.
/// A fault of your own returns these from <see cref="Faults.Fault.PoisonRecords"/>; use one of the built-in kinds, or
/// <see cref="Custom"/> with the bytes you need.
/// </remarks>
public sealed record PoisonRecord(int Index, PoisonKind Kind)
{
    /// <summary>Gets the function that writes the record's value bytes, for <see cref="PoisonKind.Custom"/>; <see langword="null"/> for the built-in kinds.</summary>
    /// <value>Given the well-formed record the poison replaces (its event id, key, version, payload), returns the bytes to produce instead.</value>
    /// <remarks>
    /// Put the record's <see cref="WorkloadRecord.EventId"/> somewhere in the bytes: Connect writes dead-letter records
    /// without context headers by default, and the runner then finds a dead-lettered record by the event id in its value.
    /// </remarks>
    public Func<WorkloadRecord, byte[]>? Value { get; init; }

    /// <summary>Gets a value indicating whether the poison converts and must be refused by the target, so the run's table needs constrained columns.</summary>
    /// <value><see langword="true"/> for <see cref="PoisonKind.TooLongForColumn"/>, <see cref="PoisonKind.NullInNotNullColumn"/> and <see cref="PoisonKind.OutOfRangeNumber"/>.</value>
    public bool FailsAtTarget => Kind is PoisonKind.TooLongForColumn or PoisonKind.NullInNotNullColumn or PoisonKind.OutOfRangeNumber;

    /// <summary>Creates a poison record whose value bytes a function writes.</summary>
    /// <param name="index">The zero-based position in the produced sequence.</param>
    /// <param name="value">Writes the bytes from the well-formed record the poison replaces; include its event id.</param>
    /// <returns>The poison record, of kind <see cref="PoisonKind.Custom"/>.</returns>
    public static PoisonRecord Custom(int index, Func<WorkloadRecord, byte[]> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new PoisonRecord(index, PoisonKind.Custom) { Value = value };
    }

    /// <summary>Checks the poison record against the workload and throws when it cannot be produced.</summary>
    /// <param name="workload">The scenario's workload.</param>
    /// <exception cref="ArgumentException">Thrown when the index is outside the workload, the kind is unknown, or a custom kind has no value function.</exception>
    public void Validate(ScenarioWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (Index < 0 || Index >= workload.Records)
        {
            throw new ArgumentException($"Poison record index {Index} is outside the workload's {workload.Records} record(s); use 0 to {workload.Records - 1}.");
        }

        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Poison record {Index} has the unknown kind {(int)Kind}.");
        }

        if ((Kind == PoisonKind.Custom) != (Value is not null))
        {
            throw new ArgumentException($"Poison record {Index}: a {Kind} poison record {(Value is null ? "needs a Value function; create it with PoisonRecord.Custom" : "takes no Value function; use PoisonKind.Custom")}.");
        }
    }
}
