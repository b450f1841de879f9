using Npgsql;
using NpgsqlTypes;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;
using SinkIdempotency.Tests.Embedded;
using SinkIdempotency.Workload;
using static SinkIdempotency.Tests.Reconciliation.Records;

namespace SinkIdempotency.Tests.Targets;

public sealed class PostgreSqlTableReaderTests(LocalPostgreSqlFixture fixture) : IClassFixture<LocalPostgreSqlFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private NpgsqlDataSource DataSource => fixture.Server.DataSource;

    [Fact]
    public async Task ReconcileAsync_AppendTableWithKnownDefects_FindsExactlyThoseDefects()
    {
        // 1000 records in two partitions; the sink lost 3 committed ones, wrote 2 twice, wrote one unknown row, and has
        // not yet written the last 5 of partition 1 (not committed).
        var table = await CreateTableAsync("event_id text, payload text, src_topic text, src_partition int, src_offset bigint");
        var ledger = Sequence(500, 0).Concat(Sequence(500, 1)).Select(e => e with { ValueHash = ValueHash.Compute(Payload(e)) }).ToList();
        var lost = new HashSet<string> { "e-0-10", "e-0-499", "e-1-0" };
        var duplicated = new[] { "e-0-42", "e-1-300" };
        var notYet = Enumerable.Range(495, 5).Select(o => $"e-1-{o}").ToHashSet();
        var rows = ledger.Where(e => !lost.Contains(e.EventId) && !notYet.Contains(e.EventId)).ToList();
        rows.AddRange(ledger.Where(e => duplicated.Contains(e.EventId)));
        await CopyAsync(table, rows.Select(e => (e.EventId, Payload(e), e.Topic, e.Partition, e.Offset))
            .Append(("phantom", "{}", Topic, 0, 9999L)));
        var reader = new PostgreSqlTableReader(DataSource, new PostgreSqlTableMapping
        {
            Table = table,
            PayloadColumn = "payload",
            TopicColumn = "src_topic",
            PartitionColumn = "src_partition",
            OffsetColumn = "src_offset",
        });
        var input = new ReconciliationInput
        {
            Ledger = ledger,
            Semantics = DeclaredSemantics.ExactlyOnceEffect,
            CommittedOffsets = Committed((0, 500), (1, 495)),
        };

        var report = await new Reconciler().ReconcileAsync(input, reader, Token);

        report[AnomalyKind.Lost].Examples.Select(e => e.EventId).Should().BeEquivalentTo(lost);
        report[AnomalyKind.Duplicated].Examples.Select(e => e.EventId).Should().BeEquivalentTo(duplicated);
        report[AnomalyKind.Unseen].Examples.Select(e => e.EventId).Should().BeEquivalentTo(notYet);
        report[AnomalyKind.Unexpected].Examples.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new AnomalyExample(Topic, 0, 9999, null, "phantom", "event id was never produced"));
        report.Anomalies.Where(a => a.Kind is AnomalyKind.Stale or AnomalyKind.DeadLettered or AnomalyKind.SilentlyDropped)
            .Should().OnlyContain(a => a.Count == 0);
        report.TargetRows.Should().Be(1000 - 3 - 5 + 2 + 1);
        report.Target.Should().Be($"PostgreSQL table \"public\".\"{table}\"");
        report.Verdict.Should().Be(Verdict.Red);
        (await reader.CountRowsAsync(Token)).Should().Be(report.TargetRows);
        (await reader.SummarizeAsync(Token)).Checksum.Should().Be(report.TargetChecksum);
    }

    [Fact]
    public async Task ReconcileAsync_UpsertTableWhereOldVersionWon_ReportsStaleKey()
    {
        var table = await CreateTableAsync("id uuid, order_key integer PRIMARY KEY, version numeric, value_hash bigint");
        var ledger = new List<LedgerEntry>();
        for (var key = 0; key < 50; key++)
        {
            for (var version = 1; version <= 3; version++)
            {
                var id = Guid.NewGuid().ToString();
                ledger.Add(new LedgerEntry(id, Topic, key % 2, ledger.Count(e => e.Partition == key % 2), key.ToString(System.Globalization.CultureInfo.InvariantCulture), version, ValueHash.Compute(id), Epoch));
            }
        }

        var winners = ledger.GroupBy(e => e.Key).Select(g => g.Key == "7" ? g.First() : g.Last()).ToList();
        await using (var connection = await DataSource.OpenConnectionAsync(Token))
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", Token))
        {
            foreach (var entry in winners)
            {
                await writer.StartRowAsync(Token);
                await writer.WriteAsync(Guid.Parse(entry.EventId), NpgsqlDbType.Uuid, Token);
                await writer.WriteAsync(int.Parse(entry.Key!, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Integer, Token);
                await writer.WriteAsync((decimal)entry.Version!.Value, NpgsqlDbType.Numeric, Token);
                await writer.WriteAsync(unchecked((long)entry.ValueHash), NpgsqlDbType.Bigint, Token);
            }

            await writer.CompleteAsync(Token);
        }

        var reader = new PostgreSqlTableReader(DataSource, new PostgreSqlTableMapping
        {
            Table = table,
            EventIdColumn = "id",
            KeyColumn = "order_key",
            VersionColumn = "version",
            ValueHashColumn = "value_hash",
        });
        var input = new ReconciliationInput
        {
            Ledger = ledger,
            Semantics = DeclaredSemantics.UpsertByKey,
            CommittedOffsets = Committed((0, 75), (1, 75)),
        };

        var report = await new Reconciler().ReconcileAsync(input, reader, Token);

        report[AnomalyKind.Stale].Examples.Should().ContainSingle().Which.Key.Should().Be("7");
        report.Anomalies.Where(a => a.Kind != AnomalyKind.Stale).Should().OnlyContain(a => a.Count == 0);
        report.Superseded.Should().Be(49 * 2);
        report.Verdict.Should().Be(Verdict.Red);
    }

    [Fact]
    public async Task ReadRowsAsync_NullColumnsAndFilter_ReturnsNullFieldsAndOnlyMatchingRows()
    {
        var table = await CreateTableAsync("event_id text, k text, v bigint, run text");
        await using (var command = DataSource.CreateCommand($"INSERT INTO {table} VALUES ('a', NULL, NULL, 'r1'), (NULL, 'k', 3, 'r1'), ('c', 'k', 1, 'r2')"))
        {
            await command.ExecuteNonQueryAsync(Token);
        }

        var reader = new PostgreSqlTableReader(DataSource, new PostgreSqlTableMapping
        {
            Table = table,
            KeyColumn = "k",
            VersionColumn = "v",
            Filter = "run = 'r1'",
        });

        var rows = await reader.ReadRowsAsync(Token).ToListAsync(Token);

        rows.Should().BeEquivalentTo([new TargetRow("a"), new TargetRow(null, "k", 3)]);
        reader.CopyCommand.Should().Be($"COPY (SELECT \"event_id\"::text, \"k\"::text, \"v\"::bigint FROM \"public\".\"{table}\" WHERE run = 'r1') TO STDOUT (FORMAT BINARY)");
    }

    [Fact]
    public void Constructor_PartlyMappedSourceColumns_ThrowsSayingWhatToMap()
    {
        var act = () => new PostgreSqlTableReader(DataSource, new PostgreSqlTableMapping { Table = "t", TopicColumn = "topic" });

        act.Should().Throw<ArgumentException>().WithMessage("Map all three of TopicColumn, PartitionColumn and OffsetColumn, or none of them.");
    }

    private static string Payload(LedgerEntry entry) => $"{{\"eventId\":\"{entry.EventId}\",\"amount\":{entry.Offset}}}";

    private async Task<string> CreateTableAsync(string columns)
    {
        var table = $"t_{Guid.NewGuid():N}";
        await using var command = DataSource.CreateCommand($"CREATE TABLE {table} ({columns})");
        await command.ExecuteNonQueryAsync(Token);
        return table;
    }

    private async Task CopyAsync(string table, IEnumerable<(string EventId, string Payload, string Topic, int Partition, long Offset)> rows)
    {
        await using var connection = await DataSource.OpenConnectionAsync(Token);
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", Token);
        foreach (var row in rows)
        {
            await writer.WriteRowAsync(Token, row.EventId, row.Payload, row.Topic, row.Partition, row.Offset);
        }

        await writer.CompleteAsync(Token);
    }
}
