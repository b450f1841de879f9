namespace SinkIdempotency.Targets;

/// <summary>Marks a target reader that can count its rows without reading them (a relational <c>count(*)</c> over the same rows it reads).</summary>
/// <remarks>Triggers that wait for the target to hold some rows poll the count every few milliseconds; reading and hashing every row for it is the reader's most expensive answer.</remarks>
internal interface ITargetRowCount
{
    /// <summary>Counts the rows <see cref="ITargetReader.ReadRowsAsync"/> would yield now.</summary>
    /// <param name="cancellationToken">Cancels the count.</param>
    /// <returns>The number of rows.</returns>
    Task<long> CountRowsAsync(CancellationToken cancellationToken);
}
