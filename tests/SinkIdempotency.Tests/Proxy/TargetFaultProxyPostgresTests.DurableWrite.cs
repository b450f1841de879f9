using Npgsql;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Tests.Proxy;

/// <content>
/// <see cref="TargetFaultProxy.WithholdNextDurableWriteReply"/> with Npgsql against a real PostgreSQL: the reply that
/// makes a write durable is withheld whether the commit went out as a simple query, as a prepared statement, or not
/// at all (autocommit); replies that make nothing durable pass.
/// </content>
public sealed partial class TargetFaultProxyPostgresTests
{
    [Fact]
    public async Task WithholdNextDurableWriteReply_NpgsqlTransactionCommit_TimesOutAndTheRowIsCommitted()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy, commandTimeoutSeconds: 1);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        await ExecuteAsync(connection, $"INSERT INTO {table} (id) VALUES (1)");

        proxy.WithholdNextDurableWriteReply();
        var commit = () => transaction.CommitAsync(Token);

        (await commit.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(e => IsTimeout(e));
        (await CountDirectAsync(table)).Should().Be(1, "the COMMIT reached the server and is durable; only its reply was withheld");
        ShouldHaveWithheldOneDurableReply(proxy, "CommandComplete \"COMMIT\" ending a transaction that wrote");
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_NpgsqlAutocommitInsert_TimesOutAndTheRowIsCommitted()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);

        proxy.WithholdNextDurableWriteReply();
        var insert = async () =>
        {
            await using var command = new NpgsqlCommand($"INSERT INTO {table} (id) VALUES ($1)", connection) { CommandTimeout = 1 };
            command.Parameters.Add(new NpgsqlParameter { Value = 7 });
            await command.ExecuteNonQueryAsync(Token);
        };

        (await insert.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(e => IsTimeout(e));
        (await CountDirectAsync(table, "id = 7")).Should().Be(1, "the insert was autocommitted before its reply was withheld");
        ShouldHaveWithheldOneDurableReply(proxy, "CommandComplete \"INSERT 0 1\" outside a transaction block, autocommitted (ReadyForQuery 'I' followed)");
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_NpgsqlAutocommitBatch_WithholdsTheImplicitTransactionsReplies()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);

        proxy.WithholdNextDurableWriteReply();
        var batch = async () =>
        {
            await using var statements = new NpgsqlBatch(connection) { Timeout = 1 };
            foreach (var id in new[] { 1, 2, 3 })
            {
                statements.BatchCommands.Add(new NpgsqlBatchCommand($"INSERT INTO {table} (id) VALUES ({id})"));
            }

            await statements.ExecuteNonQueryAsync(Token);
        };

        (await batch.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(e => IsTimeout(e));
        (await CountDirectAsync(table)).Should().Be(3);
        ShouldHaveWithheldOneDurableReply(proxy, "3 CommandCompletes (\"INSERT 0 1\" … \"INSERT 0 1\") of one autocommitted implicit transaction (ReadyForQuery 'I' followed)");
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_CommitAsAPreparedStatement_TimesOutAndTheRowIsCommitted()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);
        await using var begin = new NpgsqlCommand("BEGIN", connection) { CommandTimeout = 1 };
        await using var commit = new NpgsqlCommand("COMMIT", connection) { CommandTimeout = 1 };
        await begin.PrepareAsync(Token);
        await commit.PrepareAsync(Token);
        for (var id = 1; id <= 6; id++)
        {
            await begin.ExecuteNonQueryAsync(Token);
            await ExecuteAsync(connection, $"INSERT INTO {table} (id) VALUES ({id})");
            await commit.ExecuteNonQueryAsync(Token);
        }

        await begin.ExecuteNonQueryAsync(Token);
        await ExecuteAsync(connection, $"INSERT INTO {table} (id) VALUES (7)");
        proxy.WithholdNextDurableWriteReply();
        var last = () => commit.ExecuteNonQueryAsync(Token);

        (await last.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(e => IsTimeout(e));
        (await CountDirectAsync(table)).Should().Be(7, "the prepared COMMIT (Bind/Execute/Sync, no query text on the wire) committed the seventh row");
        ShouldHaveWithheldOneDurableReply(proxy, "CommandComplete \"COMMIT\" ending a transaction that wrote");
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_ReadsAndWritesInsideATransaction_PassUntilItsCommit()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy, commandTimeoutSeconds: 1);

        proxy.WithholdNextDurableWriteReply();
        (await ScalarAsync(connection, "SELECT 11")).Should().Be(11, "an autocommitted read makes nothing durable");
        await using (var readOnly = await connection.BeginTransactionAsync(Token))
        {
            (await ScalarAsync(connection, $"SELECT count(*)::int FROM {table}")).Should().Be(0);
            await readOnly.CommitAsync(Token);
        }

        await using var transaction = await connection.BeginTransactionAsync(Token);
        await ExecuteAsync(connection, $"INSERT INTO {table} (id) VALUES (1)");
        await ExecuteAsync(connection, $"UPDATE {table} SET id = 2 WHERE id = 1");
        proxy.GetCounters().ResponsesWithheld.Should().Be(0, "a read-only commit and writes inside an open transaction block are not durable writes");
        var commit = () => transaction.CommitAsync(Token);

        (await commit.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(e => IsTimeout(e));
        (await CountDirectAsync(table, "id = 2")).Should().Be(1);
        ShouldHaveWithheldOneDurableReply(proxy, "CommandComplete \"COMMIT\" ending a transaction that wrote");
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_RolledBackWrite_PassesAndAnotherConnectionsCommitIsWithheld()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var rolledBack = await OpenThroughProxyAsync(proxy);
        await using var committer = await OpenThroughProxyAsync(proxy, commandTimeoutSeconds: 1);

        proxy.WithholdNextDurableWriteReply();
        await using (var transaction = await rolledBack.BeginTransactionAsync(Token))
        {
            await ExecuteAsync(rolledBack, $"INSERT INTO {table} (id) VALUES (1)");
            await transaction.RollbackAsync(Token);
        }

        var duplicate = () => ExecuteAsync(rolledBack, $"INSERT INTO {table} (id) VALUES (5); INSERT INTO {table} (id) VALUES (5)");
        await duplicate.Should().ThrowAsync<PostgresException>("an error rolls the implicit transaction back, and its replies pass");
        var insert = () => ExecuteAsync(committer, $"INSERT INTO {table} (id) VALUES (2)", commandTimeoutSeconds: 1);

        (await insert.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(e => IsTimeout(e));
        (await ScalarAsync(rolledBack, $"SELECT count(*)::int FROM {table}")).Should().Be(1, "the first connection still gets replies");
        ShouldHaveWithheldOneDurableReply(proxy, "CommandComplete \"INSERT 0 1\" outside a transaction block, autocommitted (ReadyForQuery 'I' followed)");
    }

    private static void ShouldHaveWithheldOneDurableReply(TargetFaultProxy proxy, string reply)
    {
        proxy.WithheldReplies.Should().ContainSingle().Which.Should().Match<TargetFaultProxyWithheldReply>(
            r => r.Behaviour == TargetFaultBehaviour.WithholdDurableWriteReply && r.Reply == reply);
        var counters = proxy.GetCounters();
        counters.DurableWriteRepliesWithheld.Should().Be(1);
        counters.ConnectionsWithheld.Should().Be(1);
        counters.BytesWithheld.Should().BePositive();
        proxy.Behaviour.Should().Be(TargetFaultBehaviour.Pass, "the switch disarms itself once one reply is withheld");
        proxy.History.Select(e => e.Behaviour).Should().EndWith([TargetFaultBehaviour.WithholdDurableWriteReply, TargetFaultBehaviour.Pass]);
    }
}
