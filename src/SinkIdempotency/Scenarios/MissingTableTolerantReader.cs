using System.Runtime.CompilerServices;
using Npgsql;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Scenarios;

/// <summary>Reads a sink's table as empty while it does not exist (before the sink created it with <c>auto.create</c>, or after a fault dropped it), so triggers can watch it from the start.</summary>
internal sealed class MissingTableTolerantReader(ITargetReader inner, NpgsqlDataSource dataSource, PostgreSqlTableMapping mapping) : ITargetReader
{
    private volatile bool _exists;

    public string Description => inner.Description;

    public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_exists)
        {
            var command = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue($"\"{mapping.Schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\".\"{mapping.Table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
                _exists = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
            }

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
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
                {
                    _exists = false;
                    yield break;
                }

                yield return rows.Current;
            }
        }
    }
}
