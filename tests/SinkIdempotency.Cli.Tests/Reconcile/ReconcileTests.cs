using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Npgsql;
using SinkIdempotency.Cli.Reconcile;
using SinkIdempotency.Cli.Tests.Support;

namespace SinkIdempotency.Cli.Tests.Reconcile;

/// <summary>Reconciles a real pipeline's topic against its table through the command, untouched and tampered, and checks nothing was written.</summary>
public sealed class ReconcileTests(ReconcilePipelineFixture pipeline) : IClassFixture<ReconcilePipelineFixture>, IDisposable
{
    private const string TargetSecret = "pg-reconcile-s3cret";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reconcile_UntouchedPipeline_GreenExitZeroAndNothingWritten()
    {
        var cluster = Cluster();
        var groupOffsets = cluster.Broker.GetCommittedOffsets(pipeline.Names.GroupId).Select(o => (o.Topic, o.Partition, o.Offset)).ToList();
        var groupsBefore = cluster.Broker.GetGroups().Select(g => g.GroupId).ToList();
        var rowsBefore = await pipeline.CountAsync(pipeline.Names.Table);
        var endOffsets = cluster.Broker.GetTopic(pipeline.Names.Topic)!.Partitions.Sum(p => p.HighWatermark);
        var outDir = Path.Combine(_folder.Path, "out");

        var (code, output, error) = await Invoke(Arguments(pipeline.Names.Table, "--out", outDir));

        code.Should().Be(ExitCodes.Ok, output + error);
        output.Should().Contain($"Topic {pipeline.Names.Topic}: {ReconcilePipelineFixture.Records} record(s) in 3 partition(s)")
            .And.Contain($"Group {pipeline.Names.GroupId} committed 0:")
            .And.Contain($"{ReconcilePipelineFixture.Records} row(s); declared exactly-once-effect")
            .And.Contain("Verdict: green")
            .And.Contain($"no anomaly: {ReconcilePipelineFixture.Records} of {ReconcilePipelineFixture.Records} event(s) in the target");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, ReconcileExecution.OutputFile)))!;
        json["verdict"]!.GetValue<string>().Should().Be("green");
        json["topicRecords"]!.GetValue<long>().Should().Be(ReconcilePipelineFixture.Records);
        json["report"]!["counts"]!["produced"]!.GetValue<long>().Should().Be(ReconcilePipelineFixture.Records);

        // Read-only: same rows, same group offsets, same end offsets, and no group of the reader holds a commit.
        (await pipeline.CountAsync(pipeline.Names.Table)).Should().Be(rowsBefore);
        cluster.Broker.GetCommittedOffsets(pipeline.Names.GroupId).Select(o => (o.Topic, o.Partition, o.Offset)).Should().Equal(groupOffsets);
        cluster.Broker.GetTopic(pipeline.Names.Topic)!.Partitions.Sum(p => p.HighWatermark).Should().Be(endOffsets);
        foreach (var group in cluster.Broker.GetGroups().Select(g => g.GroupId).Except(groupsBefore))
        {
            cluster.Broker.GetCommittedOffsets(group).Should().BeEmpty($"the reader's group {group} must not commit");
        }

        (output + error + File.ReadAllText(Path.Combine(outDir, ReconcileExecution.OutputFile))).Should().NotContain(TargetSecret);
    }

    [Fact]
    public async Task Reconcile_TamperedTable_RedExitOneWithTheExactAnomalyCounts()
    {
        Cluster();
        var table = await pipeline.CopyTableAsync(
            "tampered",
            "DELETE FROM {table} WHERE event_id IN (SELECT event_id FROM {table} ORDER BY event_id LIMIT 3)",
            "INSERT INTO {table} SELECT * FROM {table} WHERE event_id IN (SELECT event_id FROM {table} ORDER BY event_id DESC LIMIT 2)",
            "INSERT INTO {table} (event_id, key, version, payload) VALUES ('phantom-1', 'k', 1, 'nobody produced this')");
        var outDir = Path.Combine(_folder.Path, "out");

        var (code, output, error) = await Invoke(Arguments(table, "--out", outDir));

        code.Should().Be(ExitCodes.Red, output + error);
        output.Should().Contain("Verdict: red")
            .And.MatchRegex(@"lost +3 \(forbidden\)")
            .And.MatchRegex(@"duplicated +2 \(forbidden\)")
            .And.MatchRegex(@"unexpected +1 \(forbidden\)  e\.g\. .*phantom-1");
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, ReconcileExecution.OutputFile)))!["report"]!;
        long Count(string kind) => report["anomalies"]![kind]!["count"]!.GetValue<long>();
        Count("lost").Should().Be(3);
        Count("duplicated").Should().Be(2);
        Count("unexpected").Should().Be(1);
        Count("unseen").Should().Be(0, "every record is below the committed offsets, so a missing row is a loss");
    }

    [Fact]
    public async Task Reconcile_WithoutGroup_MissingRowsAreUnseenNotLost()
    {
        Cluster();
        var table = await pipeline.CopyTableAsync("nogroup", "DELETE FROM {table} WHERE event_id IN (SELECT event_id FROM {table} ORDER BY event_id LIMIT 4)");

        var (code, output, error) = await Invoke(Arguments(table)[..^2]);

        code.Should().Be(ExitCodes.Ok, output + error);
        output.Should().Contain("No --group given").And.Contain("Verdict: yellow").And.MatchRegex(@"unseen +4 \(allowed\)");
    }

    [Fact]
    public async Task Reconcile_MissingTable_ExitsTwoSayingWhichTable()
    {
        Cluster();

        var (code, output, error) = await Invoke(Arguments("no_such_table"));

        code.Should().Be(ExitCodes.UsageError);
        error.Should().StartWith("The table public.no_such_table does not exist in database postgres").And.Contain("Check --table");
        output.Should().BeEmpty();
    }

    [Fact]
    public async Task Reconcile_MissingColumn_ExitsTwoListingTheTablesColumns()
    {
        Cluster();

        var arguments = Arguments(pipeline.Names.Table);
        arguments[Array.IndexOf(arguments, "--version-column") + 1] = "revision";

        var (code, _, error) = await Invoke(arguments);

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain($"The table public.{pipeline.Names.Table} has no column 'revision' (--version-column); its columns are: ").And.Contain("event_id");
    }

    [Fact]
    public async Task Reconcile_MissingTopic_ExitsTwoSayingCheckTopic()
    {
        Cluster();
        var arguments = Arguments(pipeline.Names.Table);
        arguments[Array.IndexOf(arguments, "--topic") + 1] = "si-nope-missing";

        var (code, _, error) = await Invoke(arguments);

        code.Should().Be(ExitCodes.UsageError);
        error.Should().StartWith("The topic 'si-nope-missing' does not exist on").And.Contain("Check --topic.");
    }

    [Fact]
    public async Task Reconcile_UnreachableBroker_ExitsTwoWithinTheTimeoutWithoutSecrets()
    {
        Cluster();
        var arguments = Arguments(pipeline.Names.Table);
        arguments[Array.IndexOf(arguments, "--bootstrap-servers") + 1] = $"127.0.0.1:{ClosedPort()}";
        var clock = Stopwatch.StartNew();

        var (code, _, error) = await Invoke([.. arguments, "--timeout", "3", "--kafka-setting", "sasl.password=kafka-reconcile-s3cret"]);

        code.Should().Be(ExitCodes.UsageError);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
        error.Should().StartWith("Kafka at 127.0.0.1:").And.Contain("did not answer within 3 s").And.NotContain("s3cret");
    }

    [Fact]
    public async Task Reconcile_NoEndpoints_ExitsTwoNamingOptionsAndVariables()
    {
        var (code, output, error) = await Support.Cli.InvokeAsync(new FakeSessions(_ => throw new InvalidOperationException()), null, "reconcile", "--topic", "orders", "--table", "orders", "--payload-column", "p", "--value-hash-column", "h");

        code.Should().Be(ExitCodes.UsageError);
        error.Should().StartWith("reconcile cannot start:")
            .And.Contain("pass --bootstrap-servers or set SINKIDEMPOTENCY_BOOTSTRAP_SERVERS")
            .And.Contain("pass --target or set SINKIDEMPOTENCY_TARGET")
            .And.Contain("Map either --value-hash-column or --payload-column, not both");
        output.Should().BeEmpty();
    }

    private static async Task<(int Code, string Output, string Error)> Invoke(string[] arguments) =>
        await Support.Cli.InvokeAsync(new FakeSessions(_ => throw new InvalidOperationException("reconcile starts no session")), null, ["reconcile", .. arguments]);

    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }

    private string[] Arguments(string table, params string[] more) =>
    [
        "--bootstrap-servers", pipeline.Cluster!.Kafka.BootstrapServers,
        "--target", new NpgsqlConnectionStringBuilder(pipeline.Cluster.PostgreSql.ConnectionString) { Password = TargetSecret }.ConnectionString,
        "--topic", pipeline.Names.Topic,
        "--table", table,
        "--key-column", "key",
        "--version-column", "version",
        "--payload-column", "payload",
        "--group", pipeline.Names.GroupId,
        .. more,
    ];

    private Environments.EmbeddedEnvironment Cluster()
    {
        return pipeline.Cluster ?? throw new InvalidOperationException("The embedded environment that hosts the pipeline did not start.");
    }
}
