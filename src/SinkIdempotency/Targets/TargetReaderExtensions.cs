namespace SinkIdempotency.Targets;

/// <summary>Adds summaries to every <see cref="ITargetReader"/>.</summary>
public static class TargetReaderExtensions
{
    /// <summary>Reads the whole target once and returns its row count and order-independent checksum.</summary>
    /// <param name="reader">The target reader.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count and multiset checksum of the rows read.</returns>
    public static async Task<TargetSummary> SummarizeAsync(this ITargetReader reader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader is IIncrementalSummary incremental)
        {
            return await incremental.SummarizeAsync(cancellationToken).ConfigureAwait(false);
        }

        long count = 0;
        ulong sum = 0;
        await foreach (var row in reader.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            count++;
            sum = unchecked(sum + TargetChecksum.HashRow(row));
        }

        return new TargetSummary(count, sum);
    }
}
