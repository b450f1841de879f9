using Npgsql;
using SinkIdempotency.Embedded;
using SinkIdempotency.Faults;
using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Testcontainers;
using SinkIdempotency.Tests.Proxy.Jdbc;

namespace SinkIdempotency.Testcontainers.Tests;

/// <summary>
/// Drives the Docker matrix's target-timeout scenarios without Docker: the proxy as the Docker environment configures it,
/// the JDBC URL it gives the Confluent JDBC sink, the matrix's own <see cref="TargetTimeout"/>, and pgjdbc (the sink's
/// driver, in a JVM) writing as the sink does — prepared batches, autocommit off, a commit per batch, more commits than
/// the driver's prepareThreshold. Only the container network is missing: Testcontainers forwards
/// <c>host.testcontainers.internal:&lt;port&gt;</c> in the containers to that port on this machine, which the test dials directly.
/// </summary>
public sealed class DockerMatrixTargetTimeoutTests
{
    [Theory]
    [InlineData("target-timeout/jdbc-insert")]
    [InlineData("target-timeout/jdbc-upsert")]
    public async Task TargetTimeout_PgJdbcThroughTheDockerProxySettings_WithholdsTheCommitReplyAndTheBatchLands(string name)
    {
        JdbcWriter.Require(JdbcDriver.PgJdbc);
        var token = TestContext.Current.CancellationToken;
        await using var postgres = await StartPostgreSqlAsync(token);
        var scenario = JdbcSinkMatrix.Scenarios.Single(s => s.Name == name).Scenario;
        var fault = scenario.Fault.Should().BeOfType<TargetTimeout>().Subject;
        var options = JdbcSinkMatrix.EnvironmentBuilder().Options;
        await using var proxy = await TargetFaultProxy.StartAsync(ContainerSettings.TargetProxy("127.0.0.1", postgres.Port, options), token);
        var settings = PostgreSqlSinkTarget.ConnectorSettings(ContainerSettings.Target(postgres.ConnectionString, proxy.Port), throughProxy: fault.NeedsTargetProxy);
        var table = "tt_" + Guid.NewGuid().ToString("N")[..12];
        await using (var create = postgres.DataSource.CreateCommand($"CREATE TABLE {table} (id serial PRIMARY KEY, batch int NOT NULL, seq int NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(token);
        }

        settings["connection.url"].Should().Be($"jdbc:postgresql://host.testcontainers.internal:{proxy.Port}/postgres?socketTimeout={SinkScenarioDriver.ProxyReplyTimeoutSeconds}");
        var url = settings["connection.url"].Replace(ContainerSettings.HostAlias, TargetFaultProxy.Host, StringComparison.Ordinal) + "&user=" + settings["connection.user"];
        await using var writer = await JdbcWriter.StartAsync(JdbcDriver.PgJdbc, url, table, transaction: true, warmUps: 6, token);
        writer.Lines.Should().Contain("server-prepared true");

        TargetTimeout.Arm(proxy, fault.Options.Mode);
        var (exitCode, last) = await writer.GoAsync(TimeSpan.FromMinutes(1), token);

        exitCode.Should().Be(0, string.Join(Environment.NewLine, writer.Lines));
        last.Should().StartWith("timeout commit ").And.Contain("java.net.SocketTimeoutException", "the URL's socketTimeout makes the driver give up on the withheld reply");
        proxy.WithheldReplies.Should().ContainSingle().Which.Reply.Should().Be("CommandComplete \"COMMIT\" ending a transaction that wrote");
        await using var count = postgres.DataSource.CreateCommand($"SELECT count(*)::int FROM {table} WHERE batch = 7");
        ((int)(await count.ExecuteScalarAsync(token))!).Should().Be(3, "the commit whose reply was withheld is durable");
    }

    private static async Task<LocalPostgreSql> StartPostgreSqlAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await new LocalPostgreSqlBuilder().StartAsync(cancellationToken);
        }
        catch (LocalPostgreSqlException ex) when (ex.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Skip(ex.Message);
            throw;
        }
    }
}
