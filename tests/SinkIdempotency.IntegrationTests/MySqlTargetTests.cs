using System.Globalization;
using MySqlConnector;
using SinkIdempotency.Environments;
using SinkIdempotency.Targets;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Checks the MySQL target's answers against the embedded MariaDB: writes in progress for the frozen-kill drain, and a table that disappears while a run reads it.</summary>
public sealed class MySqlTargetTests(EmbeddedEnvironmentFixture fixture) : IClassFixture<EmbeddedEnvironmentFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CountWritesInFlight_SessionRunningAStatement_CountsItUntilItEnds()
    {
        var (environment, target) = await OpenAsync();
        await using var _ = target;
        await using var busy = new MySqlConnection(environment.MySql!.ConnectionString);
        await busy.OpenAsync(Token);
        var port = await ClientPortAsync(busy);

        (await target.CountWritesInFlightAsync([port], Token)).Should().Be(0, "a session between statements shows Command 'Sleep'");

        await using var sleep = new MySqlCommand("SELECT SLEEP(2)", busy);
        var running = sleep.ExecuteScalarAsync(Token);
        var seen = false;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (!running.IsCompleted && !deadline.IsCancellationRequested && !(seen = await target.CountWritesInFlightAsync([port], Token) == 1))
            {
                await Task.Delay(5, Token);
            }
        }

        seen.Should().BeTrue("a session executing a statement is a write in progress");
        (await target.CountWritesInFlightAsync([port + 1], Token)).Should().Be(0, "only the given client ports count");
        await running;
        (await target.CountWritesInFlightAsync([port], Token)).Should().Be(0);
        (await target.CountWritesInFlightAsync([], Token)).Should().Be(0);
    }

    [Fact]
    public async Task OpenReader_TableDroppedAfterItWasRead_ReadsEmptyUntilTheSinkRecreatesIt()
    {
        var (environment, target) = await OpenAsync();
        await using var _ = target;
        var table = "si_" + Guid.NewGuid().ToString("N")[..16] + "_drop";
        var mapping = new PostgreSqlTableMapping { Schema = target.Schema, Table = table, EventIdColumn = "event_id" };
        var reader = target.OpenReader(mapping);
        try
        {
            (await reader.ReadRowsAsync(Token).ToListAsync(Token)).Should().BeEmpty("the sink has not created the table yet");

            await ExecuteAsync(environment, $"CREATE TABLE `{table}` (event_id VARCHAR(64) NOT NULL); INSERT INTO `{table}` VALUES ('e1'), ('e2')");
            (await reader.ReadRowsAsync(Token).ToListAsync(Token)).Select(r => r.EventId).Should().BeEquivalentTo("e1", "e2");

            // A fault that rebuilds the target drops the table the reader already found: the read fails with MySQL's
            // 1146 (no such table), which must read as empty, not fail the run.
            await target.DropTableAsync(target.Schema, table, Token);
            (await reader.ReadRowsAsync(Token).ToListAsync(Token)).Should().BeEmpty();

            await ExecuteAsync(environment, $"CREATE TABLE `{table}` (event_id VARCHAR(64) NOT NULL); INSERT INTO `{table}` VALUES ('e3')");
            (await reader.ReadRowsAsync(Token).ToListAsync(Token)).Select(r => r.EventId).Should().Equal("e3");
        }
        finally
        {
            await target.DropTableAsync(target.Schema, table, CancellationToken.None);
        }
    }

    [Fact]
    public async Task OpenReader_OtherError_Propagates()
    {
        var (environment, target) = await OpenAsync();
        await using var _ = target;
        var table = "si_" + Guid.NewGuid().ToString("N")[..16] + "_cols";
        var reader = target.OpenReader(new PostgreSqlTableMapping { Schema = target.Schema, Table = table, EventIdColumn = "no_such_column" });
        try
        {
            await ExecuteAsync(environment, $"CREATE TABLE `{table}` (event_id VARCHAR(64) NOT NULL)");

            await FluentActions.Awaiting(async () => await reader.ReadRowsAsync(Token).ToListAsync(Token))
                .Should().ThrowAsync<MySqlException>("only a missing table reads as empty; a wrong column is a misconfiguration");
        }
        finally
        {
            await target.DropTableAsync(target.Schema, table, CancellationToken.None);
        }
    }

    private static async Task<int> ClientPortAsync(MySqlConnection connection)
    {
        await using var command = new MySqlCommand("SELECT SUBSTRING_INDEX(HOST, ':', -1) FROM information_schema.processlist WHERE ID = CONNECTION_ID()", connection);
        return int.Parse((string)(await command.ExecuteScalarAsync(Token))!, CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(EmbeddedEnvironment environment, string sql)
    {
        await using var connection = new MySqlConnection(environment.MySql!.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Token);
    }

    private async Task<(EmbeddedEnvironment Environment, ISinkTarget Target)> OpenAsync()
    {
        var driver = await fixture.GetEnvironmentAsync(Token);
        var environment = (EmbeddedEnvironment)driver.Environment!;
        var target = await environment.OpenTargetAsync(ScenarioTarget.MySqlKind, Token);
        return (environment, target);
    }
}
