namespace SinkIdempotency.Targets;

/// <summary>Reads everything a sink wrote to its target, as a stream of rows the reconciler can compare with the ledger.</summary>
public interface ITargetReader
{
    /// <summary>Gets a short description of what is read, for reports (for example <c>PostgreSQL table "public"."orders"</c>).</summary>
    /// <value>A description without secrets.</value>
    string Description { get; }

    /// <summary>Streams every row the target holds now, in no particular order; duplicates are returned as separate rows.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows, one per stored row.</returns>
    IAsyncEnumerable<TargetRow> ReadRowsAsync(CancellationToken cancellationToken = default);
}
