using System.Diagnostics;
using Npgsql;
using SinkIdempotency.Connect;
using SinkIdempotency.Embedded;
using SinkIdempotency.Environments;
using SinkIdempotency.Tests.Support;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Environments;

/// <summary>Freezing, killing a frozen worker, standby workers and removing a worker, on real worker processes.</summary>
public sealed class EmbeddedEnvironmentFreezeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FreezeWorkerAsync_WorkerWritingToTheTarget_StopsEveryThreadDrainsAndThawLetsItCarryOn()
    {
        await using var environment = await new EmbeddedEnvironmentBuilder().WithOffsetFlushInterval(TimeSpan.FromMilliseconds(500)).StartAsync(Token);
        using var connect = await WritingSinkAsync(environment, "env_freeze");
        var worker = (await environment.ListWorkersAsync(Token)).Single();

        var freeze = await environment.FreezeWorkerAsync(worker.WorkerId, WorkerDrainScope.All, Token);

        freeze.Drained.Should().BeTrue(freeze.Detail);
        freeze.Detail.Should().StartWith("every thread stopped (SIGSTOP) in ").And.Contain("connection(s) to the broker and the target drained").And.Contain("connection(s) to the target (PostgreSQL) with no write in progress");
        (await Eventually.TrueAsync(() => UnixProcess.AllThreadsStopped(worker.ProcessId!.Value), TimeSpan.FromSeconds(10))).Should().BeTrue("a thread counted as stopping takes the stop as soon as it gets a CPU");
        await environment.ThawWorkerAsync(worker.WorkerId, Token);
        UnixProcess.AllThreadsStopped(worker.ProcessId!.Value).Should().BeFalse();
        (await connect.GetConnectorStatusAsync("freeze-sink", Token)).IsAll(ConnectorStates.Running, 1).Should().BeTrue();
    }

    [Fact]
    public async Task KillWorkerAsync_FrozenWorker_DiesAndPostgreSqlHasEndedItsSessionsWhenItReturns()
    {
        await using var environment = await new EmbeddedEnvironmentBuilder().WithOffsetFlushInterval(TimeSpan.FromMilliseconds(500)).StartAsync(Token);
        using var connect = await WritingSinkAsync(environment, "env_freeze_kill");
        var worker = (await environment.ListWorkersAsync(Token)).Single();
        await environment.FreezeWorkerAsync(worker.WorkerId, WorkerDrainScope.All, Token);
        var ports = ProcTcp.ClientConnections(ProcTcp.ReadTable(worker.ProcessId!.Value), ProcTcp.SocketInodes(worker.ProcessId.Value))
            .Where(c => c.Client.Remote.Port == environment.PostgreSql.Port)
            .Select(c => c.Client.Local.Port)
            .ToArray();
        ports.Should().NotBeEmpty("the sink holds a session");

        await environment.KillWorkerAsync(worker.WorkerId, Token);

        Process.GetProcesses().Should().NotContain(p => p.Id == worker.ProcessId);
        await using var sessions = environment.PostgreSql.DataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE client_port = ANY($1)");
        sessions.Parameters.Add(new NpgsqlParameter { Value = ports });
        (await sessions.ExecuteScalarAsync(Token)).Should().Be(0L, "the kill returns once PostgreSQL has ended the dead worker's sessions");
    }

    [Fact]
    public async Task AddStandbyWorkerAsync_AdmittedThenRemoved_JoinsOnlyWhenAdmittedAndLeavesGracefully()
    {
        await using var environment = await new EmbeddedEnvironmentBuilder().WithWorkerSessionTimeout(TimeSpan.FromSeconds(6)).StartAsync(Token);
        using var connect = await WritingSinkAsync(environment, "env_standby", tasks: 2);

        var standby = await environment.AddStandbyWorkerAsync(Token);

        environment.ConnectUrls.Should().ContainSingle("a standby worker answers no Connect request until it is admitted");
        await Task.Delay(TimeSpan.FromSeconds(1), Token);
        (await connect.GetConnectorStatusAsync("freeze-sink", Token)).Tasks.Should().OnlyContain(t => t.WorkerId != standby.WorkerId);
        var admitted = Stopwatch.StartNew();
        await environment.AdmitWorkerAsync(standby.WorkerId, Token);
        await connect.WaitForConnectorAsync("freeze-sink", s => s.IsAll(ConnectorStates.Running, 2) && s.Tasks.Any(t => t.WorkerId == standby.WorkerId), "a task on the admitted worker", Patience, Token);
        admitted.Stop();
        environment.ConnectUrls.Should().HaveCount(2);

        await environment.RemoveWorkerAsync(standby.WorkerId, Token);

        Process.GetProcesses().Should().NotContain(p => p.Id == standby.ProcessId);
        await connect.WaitForConnectorAsync("freeze-sink", s => s.IsAll(ConnectorStates.Running, 2) && s.Tasks.All(t => t.WorkerId != standby.WorkerId), "both tasks back on the first worker", Patience, Token);
        environment.GetWorkerLog(standby.WorkerId).Should().Contain("Standard input closed; stopping");
    }

    private static async Task<ConnectRestClient> WritingSinkAsync(EmbeddedEnvironment environment, string topic, int tasks = 1)
    {
        using var probe = environment.CreateKafkaProbe();
        await probe.CreateTopicAsync(topic, 2, cancellationToken: Token);
        await probe.ProduceWorkloadAsync(topic, new WorkloadGenerator(new ScenarioWorkload { Records = 200, Keys = 20 }), new Ledger(), Token);
        var connect = environment.CreateConnectClient();
        var config = EmbeddedEnvironmentTests.SinkConfig(environment, topic, tasks);
        config["connection.url"] = $"jdbc:postgresql://127.0.0.1:{environment.PostgreSql.Port}/postgres";
        await connect.CreateConnectorAsync("freeze-sink", config, cancellationToken: Token);
        await connect.WaitForConnectorRunningAsync("freeze-sink", tasks, Patience, Token);
        (await Eventually.TrueAsync(() => TableHasRows(environment, topic), Patience)).Should().BeTrue("the sink writes");
        return connect;
    }

    private static bool TableHasRows(EmbeddedEnvironment environment, string table)
    {
        try
        {
            using var command = environment.PostgreSql.DataSource.CreateCommand($"SELECT count(*) FROM \"{table}\"");
            return (long)command.ExecuteScalar()! > 0;
        }
        catch (PostgresException)
        {
            return false;
        }
    }
}
