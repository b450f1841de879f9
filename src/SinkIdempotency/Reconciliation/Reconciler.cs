using SinkIdempotency.Targets;

namespace SinkIdempotency.Reconciliation;

/// <summary>Compares a target with the ledger, the committed offsets and the dead-letter records, and names every anomaly.</summary>
/// <remarks>
/// The reconciler indexes the ledger by event id, streams the target once, counting matching rows per record, then
/// classifies each produced record exactly once (see <see cref="AnomalyKind"/> for the definitions). Time and memory are
/// linear in the ledger; target rows are not kept.
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class Reconciler(ReconcilerOptions? options = null)
{
    private readonly ReconcilerOptions _options = options ?? new ReconcilerOptions();

    /// <summary>Gets the options in use.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public ReconcilerOptions Options => _options;

    /// <summary>Reads the target once and reconciles it with the input.</summary>
    /// <param name="input">The ledger, committed offsets, dead letters and declared semantics.</param>
    /// <param name="target">The target to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report with counts, examples, per-partition figures and the verdict.</returns>
    /// <exception cref="ArgumentException">Thrown when the ledger holds an event id twice.</exception>
    public async Task<ReconciliationReport> ReconcileAsync(ReconciliationInput input, ITargetReader target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var engine = new ReconciliationEngine(input, _options);
        await foreach (var row in target.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            engine.Add(row);
        }

        return engine.Finish(target.Description, _options.TimeProvider.GetUtcNow());
    }

    /// <summary>Reconciles rows already in memory with the input.</summary>
    /// <param name="input">The ledger, committed offsets, dead letters and declared semantics.</param>
    /// <param name="rows">The target's rows.</param>
    /// <param name="targetDescription">The description of the target for the report.</param>
    /// <returns>The report with counts, examples, per-partition figures and the verdict.</returns>
    /// <exception cref="ArgumentException">Thrown when the ledger holds an event id twice.</exception>
    public ReconciliationReport Reconcile(ReconciliationInput input, IEnumerable<TargetRow> rows, string targetDescription = "in-memory rows")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var engine = new ReconciliationEngine(input, _options);
        if (rows is TargetRow[] array)
        {
            foreach (ref readonly var row in array.AsSpan())
            {
                engine.Add(row);
            }
        }
        else
        {
            foreach (var row in rows)
            {
                engine.Add(row);
            }
        }

        return engine.Finish(targetDescription, _options.TimeProvider.GetUtcNow());
    }
}
