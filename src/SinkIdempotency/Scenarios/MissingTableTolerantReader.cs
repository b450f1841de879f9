using System.Runtime.CompilerServices;
using Npgsql;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Scenarios;

/// <summary>Reads a sink's table as empty until the sink has created it (<c>auto.create</c>), so triggers can watch it from the start.</summary>
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

        await foreach (var row in inner.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }
}
