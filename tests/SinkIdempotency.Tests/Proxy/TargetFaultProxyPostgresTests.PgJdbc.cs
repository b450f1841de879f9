using SinkIdempotency.Proxy;
using SinkIdempotency.Tests.Proxy.Jdbc;

namespace SinkIdempotency.Tests.Proxy;

/// <content>
/// <see cref="TargetFaultProxy.WithholdNextDurableWriteReply"/> with a client we did not write: pgjdbc, the driver of the
/// Confluent JDBC sink, writing as that sink does (batched prepared inserts; autocommit off with a commit per batch, or
/// autocommit on), past the driver's <c>prepareThreshold</c> of five so its statements run server-prepared, with
/// <c>socketTimeout</c> in the URL.
/// </content>
public sealed partial class TargetFaultProxyPostgresTests
{
    private const int PgJdbcWarmUps = 6;

    [Fact]
    public async Task WithholdNextDurableWriteReply_PgJdbcCommitAfterSixPreparedBatches_TimesOutInCommitAndTheBatchLanded()
    {
        var (last, proxy, table) = await RunPgJdbcAsync(transaction: true);
        await using (proxy)
        {
            last.Should().StartWith("timeout commit ", "the batch's inserts were answered; the reply to the commit was withheld").And.Contain("java.net.SocketTimeoutException");
            (await CountDirectAsync(table, $"batch = {PgJdbcWarmUps + 1}")).Should().Be(3, "the commit reached the server and is durable");
            (await CountDirectAsync(table)).Should().Be(3 * (PgJdbcWarmUps + 1));
            ShouldHaveWithheldOneDurableReply(proxy, "CommandComplete \"COMMIT\" ending a transaction that wrote");
        }
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_PgJdbcAutocommitBatch_TimesOutInExecuteBatchAndTheBatchLanded()
    {
        var (last, proxy, table) = await RunPgJdbcAsync(transaction: false);
        await using (proxy)
        {
            last.Should().StartWith("timeout executeBatch ").And.Contain("java.net.SocketTimeoutException");
            (await CountDirectAsync(table, $"batch = {PgJdbcWarmUps + 1}")).Should().Be(3, "the batch's implicit transaction committed at its Sync");
            ShouldHaveWithheldOneDurableReply(proxy, "3 CommandCompletes (\"INSERT 0 1\" … \"INSERT 0 1\") of one autocommitted implicit transaction (ReadyForQuery 'I' followed)");
        }
    }

    private async Task<(string Last, TargetFaultProxy Proxy, string Table)> RunPgJdbcAsync(bool transaction)
    {
        JdbcWriter.Require(JdbcDriver.PgJdbc);
        var table = await CreateTableAsync("id serial PRIMARY KEY, batch int NOT NULL, seq int NOT NULL");
        var proxy = await StartProxyAsync();
        try
        {
            var url = $"jdbc:postgresql://{TargetFaultProxy.Host}:{proxy.Port}/postgres?user=postgres&socketTimeout=3";
            var (last, lines) = await JdbcWriter.WriteWithDurableReplyWithheldAsync(JdbcDriver.PgJdbc, proxy, url, table, transaction, PgJdbcWarmUps, Token);

            lines.Should().Contain("server-prepared true", "after five executions pgjdbc runs the insert as a named server-side statement");
            return (last, proxy, table);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }
}
