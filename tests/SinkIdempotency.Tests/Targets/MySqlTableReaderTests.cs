using MySqlConnector;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;
using SinkIdempotency.Tests.Embedded;
using SinkIdempotency.Workload;
using static SinkIdempotency.Tests.Reconciliation.Records;

namespace SinkIdempotency.Tests.Targets;

public sealed class MySqlTableReaderTests(LocalMySqlFixture fixture) : IClassFixture<LocalMySqlFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReconcileAsync_AppendTableWithKnownDefects_FindsExactlyThoseDefects()
    {
        var table = await CreateTableAsync("event_id varchar(64), payload text, src_topic varchar(64), src_partition int, src_offset bigint");
        var ledger = Sequence(300, 0).Concat(Sequence(300, 1)).Select(e => e with { ValueHash = ValueHash.Compute(Payload(e)) }).ToList();
        var lost = new HashSet<string> { "e-0-10", "e-1-0" };
        var duplicated = new[] { "e-0-42", "e-1-299" };
        var rows = ledger.Where(e => !lost.Contains(e.EventId)).ToList();
        rows.AddRange(ledger.Where(e => duplicated.Contains(e.EventId)));
        await InsertAsync(table, rows.Select(e => (e.EventId, Payload(e), e.Topic, e.Partition, e.Offset)).Append(("phantom", "{}", Topic, 0, 9999L)));
        var reader = new MySqlTableReader(fixture.Server.ConnectionString, new PostgreSqlTableMapping
        {
            Schema = "sinkidempotency",
            Table = table,
            PayloadColumn = "payload",
            TopicColumn = "src_topic",
            PartitionColumn = "src_partition",
            OffsetColumn = "src_offset",
        });
        var input = new ReconciliationInput { Ledger = ledger, Semantics = DeclaredSemantics.ExactlyOnceEffect, CommittedOffsets = Committed((0, 300), (1, 300)) };

        var report = await new Reconciler().ReconcileAsync(input, reader, Token);

        report[AnomalyKind.Lost].Examples.Select(e => e.EventId).Should().BeEquivalentTo(lost);
        report[AnomalyKind.Duplicated].Examples.Select(e => e.EventId).Should().BeEquivalentTo(duplicated);
        report[AnomalyKind.Unexpected].Examples.Should().ContainSingle().Which.EventId.Should().Be("phantom");
        report.Anomalies.Where(a => a.Kind is AnomalyKind.Stale or AnomalyKind.Unseen).Should().OnlyContain(a => a.Count == 0, "payload hashes read from MySQL match the produced values");
        report.TargetRows.Should().Be(600 - 2 + 2 + 1);
        report.Target.Should().Be($"MySQL table `sinkidempotency`.`{table}`");
        report.Verdict.Should().Be(Verdict.Red);
    }

    [Fact]
    public async Task ReadRowsAsync_KeyVersionHashColumnsNullsAndFilter_ReturnsTheSameFieldsAsThePostgreSqlReader()
    {
        var table = await CreateTableAsync("event_id bigint, k int, v bigint, h bigint, run varchar(8)");
        await ExecuteAsync($"INSERT INTO `{table}` VALUES (1, 7, 3, -5, 'r1'), (2, NULL, NULL, NULL, 'r1'), (3, 1, 1, 1, 'r2')");
        var reader = new MySqlTableReader(fixture.Server.ConnectionString, new PostgreSqlTableMapping
        {
            Schema = "sinkidempotency",
            Table = table,
            KeyColumn = "k",
            VersionColumn = "v",
            ValueHashColumn = "h",
            Filter = "run = 'r1'",
        });

        var rows = new List<TargetRow>();
        await foreach (var row in reader.ReadRowsAsync(Token))
        {
            rows.Add(row);
        }

        rows.Should().BeEquivalentTo([new TargetRow("1", "7", 3, unchecked((ulong)-5L)), new TargetRow("2")]);
        reader.SelectCommand.Should().Be($"SELECT CAST(`event_id` AS CHAR), CAST(`k` AS CHAR), CAST(`v` AS SIGNED), CAST(`h` AS SIGNED) FROM `sinkidempotency`.`{table}` WHERE run = 'r1'");
    }

    private static string Payload(LedgerEntry entry) => $"{{\"eventId\":\"{entry.EventId}\",\"amount\":{entry.Offset},\"note\":\"é\"}}";

    private async Task<string> CreateTableAsync(string columns)
    {
        var table = "t_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE TABLE `{table}` ({columns}) DEFAULT CHARSET=utf8mb4");
        return table;
    }

    private async Task InsertAsync(string table, IEnumerable<(string EventId, string Payload, string Topic, int Partition, long Offset)> rows)
    {
        await using var connection = new MySqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync(Token);
        foreach (var chunk in rows.Chunk(200))
        {
            await using var command = new MySqlCommand { Connection = connection };
            var values = new List<string>();
            for (var i = 0; i < chunk.Length; i++)
            {
                values.Add($"(@e{i}, @p{i}, @t{i}, @n{i}, @o{i})");
                command.Parameters.AddWithValue($"@e{i}", chunk[i].EventId);
                command.Parameters.AddWithValue($"@p{i}", chunk[i].Payload);
                command.Parameters.AddWithValue($"@t{i}", chunk[i].Topic);
                command.Parameters.AddWithValue($"@n{i}", chunk[i].Partition);
                command.Parameters.AddWithValue($"@o{i}", chunk[i].Offset);
            }

            command.CommandText = $"INSERT INTO `{table}` VALUES {string.Join(",", values)}";
            await command.ExecuteNonQueryAsync(Token);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Token);
    }
}
