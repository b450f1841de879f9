using MySqlConnector;
using SinkIdempotency.Proxy;
using SinkIdempotency.Tests.Embedded;

namespace SinkIdempotency.Tests.Proxy;

/// <summary>
/// <see cref="TargetFaultProxy.WithholdNextDurableWriteReply"/> on the MySQL protocol, with MySqlConnector against a real
/// MariaDB: the OK that makes a write durable is withheld (the client times out, the row is on the server); replies that
/// make nothing durable pass.
/// </summary>
public sealed partial class TargetFaultProxyMySqlTests(LocalMySqlFixture fixture) : IClassFixture<LocalMySqlFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithholdNextDurableWriteReply_TransactionCommitAfterSeveralCommits_TimesOutAndTheRowIsCommitted(bool prepared)
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);

        // Earlier transactions on the same connection pass while the proxy is not armed, and a read-only one passes while it is.
        for (var round = 0; round < 3; round++)
        {
            await InsertInTransactionAsync(connection, table, [round * 10 + 1, round * 10 + 2], prepared, commandTimeoutSeconds: 30);
        }

        proxy.WithholdNextDurableWriteReply();
        await using (var readOnly = await connection.BeginTransactionAsync(Token))
        {
            await using var select = new MySqlCommand($"SELECT count(*) FROM `{table}`", connection, readOnly);
            (await select.ExecuteScalarAsync(Token)).Should().Be(6L);
            await readOnly.CommitAsync(Token);
        }

        var write = () => InsertInTransactionAsync(connection, table, [100, 101, 102], prepared, commandTimeoutSeconds: 1);

        await write.Should().ThrowAsync<MySqlException>();
        (await CountDirectAsync(table)).Should().Be(9, "the COMMIT reached the server and is durable; only its OK was withheld");
        proxy.WithheldReplies.Should().ContainSingle().Which.Reply.Should().Be("OK packet answering a COMMIT that ended a transaction that wrote");
        proxy.Behaviour.Should().Be(TargetFaultBehaviour.Pass);
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_AutocommitInsert_TimesOutAndTheRowIsCommitted()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);
        await ExecuteAsync(connection, $"INSERT INTO `{table}` (id) VALUES (1)", 30);

        proxy.WithholdNextDurableWriteReply();
        await ExecuteAsync(connection, $"UPDATE `{table}` SET id = 2 WHERE id = 99", 30);
        var insert = () => ExecuteAsync(connection, $"INSERT INTO `{table}` (id) VALUES (7)", 1);

        await insert.Should().ThrowAsync<MySqlException>();
        (await CountDirectAsync(table)).Should().Be(2, "the insert was autocommitted before its OK was withheld");
        proxy.WithheldReplies.Should().ContainSingle().Which.Reply.Should().Be("OK packet answering an autocommitted write (1 row(s) affected)");
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_RollbackAfterWrites_PassesAndTheNextCommitIsWithheld()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);

        proxy.WithholdNextDurableWriteReply();
        await using (var rolledBack = await connection.BeginTransactionAsync(Token))
        {
            await using var insert = new MySqlCommand($"INSERT INTO `{table}` (id) VALUES (5)", connection, rolledBack);
            await insert.ExecuteNonQueryAsync(Token);
            await rolledBack.RollbackAsync(Token);
        }

        proxy.WithheldReplies.Should().BeEmpty("a rollback makes nothing durable");
        var write = () => InsertInTransactionAsync(connection, table, [6], prepared: false, commandTimeoutSeconds: 1);
        await write.Should().ThrowAsync<MySqlException>();
        (await CountDirectAsync(table)).Should().Be(1);
        proxy.WithheldReplies.Should().ContainSingle();
    }

    // The transaction is driven by statements, not MySqlTransaction: MySqlTransaction.CommitAsync runs its COMMIT with the
    // connection string's DefaultCommandTimeout (30 s), so a withheld commit reply would hold the test for 30 s instead of
    // the command timeout given here. JDBC drivers send the same statements (SET autocommit=0 … COMMIT).
    private static async Task InsertInTransactionAsync(MySqlConnection connection, string table, int[] ids, bool prepared, int commandTimeoutSeconds)
    {
        await ExecuteAsync(connection, "START TRANSACTION", commandTimeoutSeconds);
        await using (var insert = new MySqlCommand($"INSERT INTO `{table}` (id) VALUES (@id)", connection) { CommandTimeout = commandTimeoutSeconds })
        {
            insert.Parameters.Add("@id", MySqlDbType.Int32);
            if (prepared)
            {
                await insert.PrepareAsync(Token);
            }

            foreach (var id in ids)
            {
                insert.Parameters["@id"].Value = id;
                await insert.ExecuteNonQueryAsync(Token);
            }
        }

        await ExecuteAsync(connection, "COMMIT", commandTimeoutSeconds);
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, int timeoutSeconds)
    {
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync(Token);
    }

    private Task<TargetFaultProxy> StartProxyAsync() =>
        TargetFaultProxy.StartAsync(new TargetFaultProxyOptions { TargetPort = fixture.Server.Port, Protocol = TargetWireProtocol.MySql }, Token);

    private async Task<MySqlConnection> OpenThroughProxyAsync(TargetFaultProxy proxy)
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder(fixture.Server.ConnectionString)
        {
            Port = (uint)proxy.Port,
            Pooling = false,
            IgnorePrepare = false,
            CancellationTimeout = -1,
        }.ConnectionString);
        await connection.OpenAsync(Token);
        return connection;
    }

    private async Task<string> CreateTableAsync()
    {
        var table = "p_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new MySqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync(Token);
        await ExecuteAsync(connection, $"CREATE TABLE `{table}` (id int) ENGINE=InnoDB", 30);
        return table;
    }

    private async Task<long> CountDirectAsync(string table)
    {
        await using var connection = new MySqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new MySqlCommand($"SELECT count(*) FROM `{table}`", connection);
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }
}
