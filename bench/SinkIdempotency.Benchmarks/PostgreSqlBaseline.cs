using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Benchmarks;

/// <summary>Does the same checks inside PostgreSQL: COPY the ledger into a table, then anti-joins and a GROUP BY.</summary>
internal static class PostgreSqlBaseline
{
    private const string LostAndUnseen = """
        SELECT count(*) FILTER (WHERE l.off < c.committed), count(*) FILTER (WHERE l.off >= c.committed)
        FROM ledger l JOIN committed c ON c.partition = l.partition
        WHERE NOT EXISTS (SELECT 1 FROM target t WHERE t.event_id = l.event_id AND t.value_hash = l.value_hash)
        """;

    private const string DuplicatedEvents = """
        SELECT count(*) FROM (SELECT t.event_id FROM target t JOIN ledger l ON l.event_id = t.event_id AND l.value_hash = t.value_hash
                              GROUP BY t.event_id HAVING count(*) > 1) d
        """;

    private const string UnexpectedRows = """
        SELECT count(*) FROM target t
        WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.event_id = t.event_id AND l.value_hash = t.value_hash)
        """;

    public static async Task<(List<double> Load, List<double> Queries, List<double> QueriesServerCpu)> RunAsync(
        NpgsqlDataSource dataSource, List<LedgerEntry> ledger, DefectPlan plan, int runs, CpuClock cpu)
    {
        var load = new List<double>();
        var queries = new List<double>();
        var queriesCpu = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            await BenchmarkCommand.Execute(dataSource, "DROP TABLE IF EXISTS ledger; DROP TABLE IF EXISTS committed");
            var watch = Stopwatch.StartNew();
            await BenchmarkCommand.Execute(dataSource, "CREATE UNLOGGED TABLE ledger (event_id text, topic text, partition int, off bigint, key text, version bigint, value_hash bigint); CREATE UNLOGGED TABLE committed (partition int, committed bigint)");
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                await using (var writer = await connection.BeginBinaryImportAsync("COPY ledger FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var entry in ledger)
                    {
                        await writer.StartRowAsync();
                        await writer.WriteAsync(entry.EventId, NpgsqlDbType.Text);
                        await writer.WriteAsync(entry.Topic, NpgsqlDbType.Text);
                        await writer.WriteAsync(entry.Partition, NpgsqlDbType.Integer);
                        await writer.WriteAsync(entry.Offset, NpgsqlDbType.Bigint);
                        await writer.WriteAsync(entry.Key, NpgsqlDbType.Text);
                        await writer.WriteAsync(entry.Version!.Value, NpgsqlDbType.Bigint);
                        await writer.WriteAsync(unchecked((long)entry.ValueHash), NpgsqlDbType.Bigint);
                    }

                    await writer.CompleteAsync();
                }

                await using (var writer = await connection.BeginBinaryImportAsync("COPY committed FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var (partition, committed) in plan.CommittedOffsets)
                    {
                        await writer.WriteRowAsync(default, partition.Partition, committed);
                    }

                    await writer.CompleteAsync();
                }
            }

            await BenchmarkCommand.Execute(dataSource, "ANALYZE ledger; ANALYZE committed");
            load.Add(watch.Elapsed.TotalSeconds);

            var before = cpu.Now();
            watch.Restart();
            long lost;
            long unseen;
            await using (var command = dataSource.CreateCommand(LostAndUnseen))
            {
                command.CommandTimeout = 600;
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                lost = reader.GetInt64(0);
                unseen = reader.GetInt64(1);
            }

            var duplicated = Convert.ToInt64(await BenchmarkCommand.Scalar(dataSource, DuplicatedEvents), CultureInfo.InvariantCulture);
            var unexpected = Convert.ToInt64(await BenchmarkCommand.Scalar(dataSource, UnexpectedRows), CultureInfo.InvariantCulture);
            queries.Add(watch.Elapsed.TotalSeconds);
            queriesCpu.Add(cpu.Now().Server - before.Server);
            if (lost != plan.DroppedCount || unseen != plan.UnseenCount || duplicated != plan.DuplicatedCount || unexpected != plan.UnknownCount)
            {
                throw new InvalidOperationException($"baseline disagrees: lost {lost}, unseen {unseen}, duplicated {duplicated}, unexpected {unexpected}");
            }
        }

        return (load, queries, queriesCpu);
    }
}
