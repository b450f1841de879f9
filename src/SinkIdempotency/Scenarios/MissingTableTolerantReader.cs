using System.Runtime.CompilerServices;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Scenarios;

/// <summary>Reads a sink's table as empty while it does not exist (before the sink created it with <c>auto.create</c>, or after a fault dropped it), so triggers can watch it from the start.</summary>
/// <remarks>
/// The engine supplies the two things that differ: whether the table exists now (PostgreSQL's <c>to_regclass</c>, MySQL's
/// <c>information_schema.tables</c>), and which error of a read means the table went away while it was read (PostgreSQL's
/// <c>42P01</c> undefined_table, MySQL's <c>1146</c> no such table). Any other error of a read propagates.
/// </remarks>
/// <param name="inner">The reader of the table once it exists.</param>
/// <param name="existsAsync">Tells whether the table exists now.</param>
/// <param name="isMissingTable">Tells whether an error of a read means the table does not exist.</param>
internal sealed class MissingTableTolerantReader(ITargetReader inner, Func<CancellationToken, Task<bool>> existsAsync, Func<Exception, bool> isMissingTable) : ITargetReader, ITargetRowCount
{
    private volatile bool _exists;

    public string Description => inner.Description;

    public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_exists)
        {
            _exists = await existsAsync(cancellationToken).ConfigureAwait(false);
            if (!_exists)
            {
                yield break;
            }
        }

        // A table dropped after it existed (a fault that rebuilds the target) reads as empty again until the sink recreates it.
        var rows = inner.ReadRowsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (rows.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await rows.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (isMissingTable(ex))
                {
                    _exists = false;
                    yield break;
                }

                yield return rows.Current;
            }
        }
    }

    /// <summary>Counts the rows with the inner reader's count where it has one (zero while the table does not exist), by reading them otherwise.</summary>
    public async Task<long> CountRowsAsync(CancellationToken cancellationToken)
    {
        if (inner is not ITargetRowCount counting)
        {
            return (await this.SummarizeAsync(cancellationToken).ConfigureAwait(false)).RowCount;
        }

        if (!_exists)
        {
            _exists = await existsAsync(cancellationToken).ConfigureAwait(false);
            if (!_exists)
            {
                return 0;
            }
        }

        try
        {
            return await counting.CountRowsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (isMissingTable(ex))
        {
            _exists = false;
            return 0;
        }
    }
}
