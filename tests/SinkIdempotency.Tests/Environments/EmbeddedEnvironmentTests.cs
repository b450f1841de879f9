using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using SinkIdempotency.Broker;
using SinkIdempotency.Connect;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Environments;

public sealed class EmbeddedEnvironmentTests
{
    private const string PostgresSink = "SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_OneWorker_EveryPartAnswers()
    {
        await using var environment = await new EmbeddedEnvironmentBuilder().StartAsync(Token);

        environment.ConnectUrls.Should().ContainSingle();
        using var connect = environment.CreateConnectClient();
        (await connect.GetServerInfoAsync(Token)).Version.Should().NotBeNullOrEmpty();
        using var probe = environment.CreateKafkaProbe();
        await probe.CreateTopicAsync("env_start", 2, cancellationToken: Token);
        (await probe.GetEndOffsetsAsync("env_start", Token)).Should().HaveCount(2);
        await using var viaProxy = new NpgsqlConnection(environment.Target.SinkConnectionString);
        await viaProxy.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT 1", viaProxy);
        (await command.ExecuteScalarAsync(Token)).Should().Be(1);
        environment.Target.SinkPort.Should().Be(environment.TargetProxy!.Port).And.NotBe(environment.PostgreSql.Port);
        environment.TargetProxy.GetCounters().BytesTargetToClient.Should().BePositive();
        var workers = await environment.ListWorkersAsync(Token);
        workers.Should().ContainSingle().Which.IsRunning.Should().BeTrue();
    }

    [Fact]
    public async Task DisposeAsync_FiveStartsInARow_LeavesNoProcessOrPortBehind()
    {
        for (var round = 0; round < 5; round++)
        {
            var environment = await new EmbeddedEnvironmentBuilder().StartAsync(Token);
            var workerPids = (await environment.ListWorkersAsync(Token)).Select(w => w.ProcessId!.Value).ToList();
            var postgresPid = environment.PostgreSql.ServerProcessId;
            var ports = new[] { environment.Broker.Port, environment.PostgreSql.Port, environment.TargetProxy!.Port, environment.ConnectUrls[0].Port };
            var instanceDirectory = environment.PostgreSql.InstanceDirectory;
            ListeningInodes(environment.Broker.Port).Intersect(OwnSocketInodes()).Should().NotBeEmpty("the check below must see this process's listeners while they are open");

            await environment.DisposeAsync();

            foreach (var pid in workerPids.Append(postgresPid))
            {
                (await ProcessGoneAsync(pid)).Should().BeTrue($"process {pid} must not outlive the environment (round {round})");
            }

            foreach (var port in ports)
            {
                (await PortReleasedAsync(port)).Should().BeTrue($"port {port} must be released after dispose (round {round})");
            }

            Directory.Exists(instanceDirectory).Should().BeFalse();
        }
    }

    [Fact]
    public async Task Workers_AddKillRestart_ListReflectsEachStepAndTasksStayOnKnownWorkers()
    {
        await using var environment = await new EmbeddedEnvironmentBuilder().WithWorkerSessionTimeout(TimeSpan.FromSeconds(6)).StartAsync(Token);
        using var probe = environment.CreateKafkaProbe();
        await probe.CreateTopicAsync("env_workers", 4, cancellationToken: Token);
        using var connect = environment.CreateConnectClient();
        await connect.CreateConnectorAsync("workers-sink", SinkConfig(environment, "env_workers", tasks: 2), cancellationToken: Token);
        await connect.WaitForConnectorRunningAsync("workers-sink", 2, Patience, Token);

        var added = await environment.AddWorkerAsync(Token);
        environment.ConnectUrls.Should().HaveCount(2);
        var listed = await environment.ListWorkersAsync(Token);
        listed.Select(w => w.WorkerId).Should().BeEquivalentTo(environment.ConnectUrls.Select(u => $"{u.Host}:{u.Port}"));
        listed.SelectMany(w => w.Tasks).Should().OnlyContain(t => t.Connector == "workers-sink");

        await environment.KillWorkerAsync(added.WorkerId, Token);
        Process.GetProcesses().Should().NotContain(p => p.Id == added.ProcessId);
        environment.ConnectUrls.Should().ContainSingle();
        var afterKill = await environment.ListWorkersAsync(Token);
        afterKill.Single(w => w.WorkerId == added.WorkerId).IsRunning.Should().BeFalse();
        await connect.WaitForConnectorAsync(
            "workers-sink",
            s => s.IsAll(ConnectorStates.Running, 2) && s.Tasks.All(t => t.WorkerId != added.WorkerId),
            "RUNNING with both tasks on the surviving worker",
            Patience,
            Token);

        var survivor = afterKill.Single(w => w.IsRunning);
        var restarted = await environment.RestartWorkerAsync(survivor.WorkerId, Token);
        restarted.WorkerId.Should().Be(survivor.WorkerId);
        restarted.ProcessId.Should().NotBe(survivor.ProcessId);
        using var again = new ConnectRestClient(restarted.RestUrl);
        try
        {
            await again.WaitForConnectorRunningAsync("workers-sink", 2, Patience, Token);
        }
        catch (TimeoutException ex)
        {
            var connectors = string.Join(",", await again.ListConnectorsAsync(Token));
            throw new TimeoutException($"{ex.Message}\nconnectors on the restarted worker: [{connectors}]\nrestarted worker log:\n{environment.GetWorkerLog(restarted.WorkerId)}", ex);
        }
    }

    [Fact]
    public async Task EndToEnd_WorkloadThroughPostgresSink_RowsMatchLedgerAndWritesWentThroughProxy()
    {
        await using var environment = await new EmbeddedEnvironmentBuilder().WithOffsetFlushInterval(TimeSpan.FromSeconds(1)).StartAsync(Token);
        using var probe = environment.CreateKafkaProbe();
        await probe.CreateTopicAsync("env_e2e", 3, cancellationToken: Token);
        var ledger = new Ledger();
        await probe.ProduceWorkloadAsync("env_e2e", new WorkloadGenerator(new ScenarioWorkload { Records = 300, Keys = 20 }), ledger, Token);
        var before = environment.TargetProxy!.GetCounters().BytesClientToTarget;
        using var connect = environment.CreateConnectClient();

        await connect.CreateConnectorAsync("e2e-sink", SinkConfig(environment, "env_e2e", tasks: 2), cancellationToken: Token);

        var ends = await probe.GetEndOffsetsAsync("env_e2e", Token);
        var deadline = DateTime.UtcNow + Patience;
        IReadOnlyDictionary<SourcePartition, long> committed;
        do
        {
            await Task.Delay(200, Token);
            committed = await probe.GetConnectorCommittedOffsetsAsync("e2e-sink", Token);
        }
        while (!ends.All(e => committed.GetValueOrDefault(e.Key) == e.Value) && DateTime.UtcNow < deadline);

        committed.Should().BeEquivalentTo(ends, "the sink commits last processed + 1 for every partition");
        await using var direct = new NpgsqlConnection(environment.Target.ConnectionString);
        await direct.OpenAsync(Token);
        var eventIds = new List<string>();
        await using (var select = new NpgsqlCommand("SELECT event_id FROM env_e2e", direct))
        await using (var reader = await select.ExecuteReaderAsync(Token))
        {
            while (await reader.ReadAsync(Token))
            {
                eventIds.Add(reader.GetString(0));
            }
        }

        eventIds.Should().BeEquivalentTo(ledger.Snapshot().Select(e => e.EventId));
        environment.TargetProxy.GetCounters().BytesClientToTarget.Should().BeGreaterThan(before, "the connector reaches PostgreSQL through the fault proxy");
    }

    [Fact]
    public async Task StartAsync_BrokerPortTaken_FailsNamingTheBroker()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        var builder = new EmbeddedEnvironmentBuilder().WithBroker(new KafkaBrokerOptions { Port = port });

        var start = () => builder.StartAsync(Token);

        var error = (await start.Should().ThrowAsync<EnvironmentStartException>()).Which;
        error.Part.Should().Be("Kafka broker");
        error.Message.Should().StartWith("The embedded environment could not start: Kafka broker failed:");
    }

    [Fact]
    public async Task StartAsync_WorkerPathNotAWorker_FailsNamingTheWorkerWithItsOutput()
    {
        var directory = Directory.CreateTempSubdirectory("si-env-fake-");
        try
        {
            var fake = Path.Combine(directory.FullName, "NotAWorker.dll");
            await File.WriteAllTextAsync(fake, "not an assembly", Token);
            var builder = new EmbeddedEnvironmentBuilder().WithWorkerPath(fake).WithWorkerStartTimeout(TimeSpan.FromSeconds(30));

            var start = () => builder.StartAsync(Token);

            var error = (await start.Should().ThrowAsync<EnvironmentStartException>()).Which;
            error.Part.Should().Be("Connect worker 1");
            error.Message.Should().Contain("exited with code");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    internal static Dictionary<string, string> SinkConfig(EmbeddedEnvironment environment, string topic, int tasks) => new()
    {
        ["connector.class"] = PostgresSink,
        ["tasks.max"] = tasks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["topics"] = topic,
        ["connection.url"] = environment.Target.SinkJdbcUrl,
        ["connection.user"] = "postgres",
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "kafka",
        ["auto.create"] = "true",
        ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        ["value.converter.schemas.enable"] = "true",
    };

    private static async Task<bool> ProcessGoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            // A zombie (exited, not yet reaped by an unrelated parent) counts as gone.
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || (await File.ReadAllTextAsync(stat, Token)).Split(' ')[2] == "Z")
            {
                return true;
            }

            await Task.Delay(100, Token);
        }

        return false;
    }

    // The port's number may be taken again at once by another process (a test project running beside this one binds free
    // ports too), so a refused connection is not what to ask: no socket of this process may still listen on it (the
    // in-process broker and fault proxy; the worker and PostgreSQL processes are checked gone before).
    private static async Task<bool> PortReleasedAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var own = OwnSocketInodes();
            if (!ListeningInodes(port).Any(own.Contains))
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(100, Token);
        }
    }

    private static HashSet<string> OwnSocketInodes()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // The descriptor closed while the folder was read.
            }
        }

        return inodes;
    }

    private static IEnumerable<string> ListeningInodes(int port)
    {
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadAllLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …; LISTEN is 0A.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == "0A" && int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) == port)
                {
                    yield return fields[9];
                }
            }
        }
    }
}
