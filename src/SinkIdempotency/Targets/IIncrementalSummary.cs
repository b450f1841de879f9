namespace SinkIdempotency.Targets;

/// <summary>Marks a target reader that summarizes its rows without parsing again what an earlier summary already parsed.</summary>
/// <remarks>
/// <see cref="TargetReaderExtensions.SummarizeAsync"/> uses it when the reader has it. The summary must equal the one over
/// every row <see cref="ITargetReader.ReadRowsAsync"/> yields now: what it reuses is checked against the target itself.
/// </remarks>
internal interface IIncrementalSummary
{
    /// <summary>Reads the target and returns its row count and order-independent checksum, reusing earlier work that is still valid.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count and multiset checksum of the rows the target holds now.</returns>
    Task<TargetSummary> SummarizeAsync(CancellationToken cancellationToken);
}
