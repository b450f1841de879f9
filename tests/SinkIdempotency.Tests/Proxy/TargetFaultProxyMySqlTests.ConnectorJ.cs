using System.Globalization;
using MySqlConnector;
using SinkIdempotency.Proxy;
using SinkIdempotency.Tests.Proxy.Jdbc;

namespace SinkIdempotency.Tests.Proxy;

/// <content>
/// <see cref="TargetFaultProxy.WithholdNextDurableWriteReply"/> on the MySQL protocol with a client we did not write:
/// MariaDB Connector/J (Debian's <c>libmariadb-java</c>), writing as the Confluent JDBC sink does (batched prepared inserts;
/// autocommit off with a commit per batch, or autocommit on), with <c>socketTimeout</c> in milliseconds in the URL.
/// In autocommit the batch is sent one statement at a time (<c>useBatchMultiSend=false</c>): with the driver's default
/// pipelined batch (2.7.6), a withheld OK left <c>executeBatch</c> waiting past <c>socketTimeout</c> for over a minute.
/// </content>
public sealed partial class TargetFaultProxyMySqlTests
{
    private const int ConnectorJWarmUps = 6;

    [Fact]
    public async Task WithholdNextDurableWriteReply_ConnectorJCommitAfterSixBatches_TimesOutInCommitAndTheBatchLanded()
    {
        var (last, proxy, table) = await RunConnectorJAsync(transaction: true);
        await using (proxy)
        {
            last.Should().StartWith("timeout commit ", "the batch's inserts were answered; the OK of the COMMIT was withheld").And.Contain("SQL");
            (await CountDirectAsync(table, $"batch = {ConnectorJWarmUps + 1}")).Should().Be(3, "the COMMIT reached the server and is durable");
            (await CountDirectAsync(table, "1 = 1")).Should().Be(3 * (ConnectorJWarmUps + 1));
            proxy.WithheldReplies.Should().ContainSingle().Which.Reply.Should().Be("OK packet answering a COMMIT that ended a transaction that wrote");
            proxy.Behaviour.Should().Be(TargetFaultBehaviour.Pass);
        }
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_ConnectorJAutocommitBatch_TimesOutInExecuteBatchAndTheWriteLanded()
    {
        var (last, proxy, table) = await RunConnectorJAsync(transaction: false);
        await using (proxy)
        {
            last.Should().StartWith("timeout executeBatch ", "the first autocommitted insert's OK was withheld");
            (await CountDirectAsync(table, $"batch = {ConnectorJWarmUps + 1}")).Should().BePositive("the insert whose OK was withheld was autocommitted");
            proxy.WithheldReplies.Should().ContainSingle().Which.Reply.Should().StartWith("OK packet answering an autocommitted write");
        }
    }

    private async Task<(string Last, TargetFaultProxy Proxy, string Table)> RunConnectorJAsync(bool transaction)
    {
        JdbcWriter.Require(JdbcDriver.MariaDb);
        var table = "p_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new MySqlConnection(fixture.Server.ConnectionString))
        {
            await connection.OpenAsync(Token);
            await ExecuteAsync(connection, $"CREATE TABLE `{table}` (id int AUTO_INCREMENT PRIMARY KEY, batch int NOT NULL, seq int NOT NULL) ENGINE=InnoDB", 30);
        }

        var proxy = await StartProxyAsync();
        try
        {
            var direct = new MySqlConnectionStringBuilder(fixture.Server.ConnectionString);
            var url = string.Create(
                CultureInfo.InvariantCulture,
                $"jdbc:mariadb://{TargetFaultProxy.Host}:{proxy.Port}/{direct.Database}?user={Uri.EscapeDataString(direct.UserID)}&password={Uri.EscapeDataString(direct.Password ?? string.Empty)}&socketTimeout=3000{(transaction ? string.Empty : "&useBatchMultiSend=false")}");
            var (last, _) = await JdbcWriter.WriteWithDurableReplyWithheldAsync(JdbcDriver.MariaDb, proxy, url, table, transaction, ConnectorJWarmUps, Token);
            return (last, proxy, table);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    private async Task<long> CountDirectAsync(string table, string where)
    {
        await using var connection = new MySqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new MySqlCommand($"SELECT count(*) FROM `{table}` WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }
}
