using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Tests.Targets;

public sealed class SinkTargetTests
{
    private const string MySqlConnection = "Server=127.0.0.1;Port=40100;Database=sinkidempotency;User ID=root";

    [Fact]
    public void MySqlConnectorSettings_Direct_PointAtTheServerWithoutTlsAllowingPublicKeyRetrieval()
    {
        var target = new MySqlSinkTarget(MySqlConnection, "127.0.0.1", 40100, proxy: null);

        var settings = target.GetConnectorSettings(throughProxy: false);

        // MySQL 8.4's caching_sha2_password over plain TCP: Connector/J refuses the server's RSA key without allowPublicKeyRetrieval.
        settings["connection.url"].Should().Be("jdbc:mysql://127.0.0.1:40100/sinkidempotency?sslMode=DISABLED&allowPublicKeyRetrieval=true");
        settings["connection.user"].Should().Be("root");
        settings.Should().NotContainKey("connection.password");
        target.Schema.Should().Be("sinkidempotency");
    }

    [Fact]
    public void MySqlConnectorSettings_ThroughProxy_CarryASocketTimeoutInMilliseconds()
    {
        var target = new MySqlSinkTarget(MySqlConnection + ";Password=pw", "127.0.0.1", 40100, proxy: null);

        var settings = target.GetConnectorSettings(throughProxy: true);

        settings["connection.url"].Should().Be($"jdbc:mysql://127.0.0.1:40100/sinkidempotency?sslMode=DISABLED&allowPublicKeyRetrieval=true&socketTimeout={SinkScenarioDriver.ProxyReplyTimeoutSeconds * 1000}");
        settings["connection.password"].Should().Be("pw");
    }

    [Theory]
    [InlineData(PoisonKind.TooLongForColumn)]
    [InlineData(PoisonKind.NullInNotNullColumn)]
    [InlineData(PoisonKind.OutOfRangeNumber)]
    public void MySqlExplainUnsupported_PoisonTheTargetMustRefuse_SaysWhatToChange(PoisonKind kind)
    {
        var target = new MySqlSinkTarget(MySqlConnection, "127.0.0.1", 40100, proxy: null);
        var scenario = ReferenceMatrix.Make("poison", ReferenceMatrix.PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new SchemaBreak(new SchemaBreakOptions { Kind = kind }));

        target.ExplainUnsupported(scenario).Should().Contain("cannot narrow its columns").And.Contain(kind.ToString()).And.Contain("target.kind postgres");
    }

    [Fact]
    public void MySqlExplainUnsupported_CrashAfterOffsetCommit_IsNull()
    {
        // The frozen kill asks MariaDB's processlist whether a write of the worker is still running.
        var target = new MySqlSinkTarget(MySqlConnection, "127.0.0.1", 40100, proxy: null);
        var scenario = ReferenceMatrix.Make("loss", ReferenceMatrix.PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new CrashAfterOffsetCommit());

        target.ExplainUnsupported(scenario).Should().BeNull();
    }

    [Theory]
    [InlineData("none")]
    [InlineData("crash-after-target-write")]
    [InlineData("target-timeout")]
    [InlineData("replay")]
    [InlineData("schema-break")]
    [InlineData("offset-commit-timeout")]
    public void MySqlExplainUnsupported_SupportedCase_IsNull(string fault)
    {
        var target = new MySqlSinkTarget(MySqlConnection, "127.0.0.1", 40100, proxy: null);
        Fault? chosen = fault switch
        {
            "crash-after-target-write" => new CrashAfterTargetWrite(),
            "target-timeout" => new TargetTimeout(),
            "replay" => new Replay(),
            "schema-break" => new SchemaBreak(),
            "offset-commit-timeout" => new OffsetCommitTimeout(),
            _ => null,
        };
        var scenario = ReferenceMatrix.Make("ok", ReferenceMatrix.PlainInsert, DeclaredSemantics.ExactlyOnceEffect, chosen);

        target.ExplainUnsupported(scenario).Should().BeNull();
    }

    [Fact]
    public async Task MySqlDropTable_NameOutsideARunNamespace_IsRefusedBeforeConnecting()
    {
        var target = new MySqlSinkTarget(MySqlConnection, "127.0.0.1", 1, proxy: null);

        await FluentActions.Awaiting(() => target.DropTableAsync("sinkidempotency", "orders")).Should().ThrowAsync<InvalidOperationException>().WithMessage("Refusing to delete the table 'orders'*");
    }

    [Fact]
    public async Task PostgreSqlConnectorSettings_ThroughProxy_UseTheSinkAddressWithASocketTimeoutInSeconds()
    {
        var endpoint = new TargetEndpoint("Host=127.0.0.1;Port=5433;Database=app;Username=postgres;Password=pw", "127.0.0.1", 40000);
        await using var target = new PostgreSqlSinkTarget(endpoint, proxy: null, own: null);

        target.GetConnectorSettings(throughProxy: true)["connection.url"].Should().Be($"jdbc:postgresql://127.0.0.1:40000/app?socketTimeout={SinkScenarioDriver.ProxyReplyTimeoutSeconds}");
        target.GetConnectorSettings(throughProxy: false)["connection.url"].Should().Be("jdbc:postgresql://127.0.0.1:5433/app");
        target.ExplainUnsupported(ReferenceMatrix.Make("loss", ReferenceMatrix.PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new CrashAfterOffsetCommit())).Should().BeNull();
    }

    [Theory]
    [InlineData("files-append", "append")]
    [InlineData("files-deterministic", "deterministic")]
    public void FilesConnectorSettings_Kind_PointAtTheRunsFolderInItsMode(string kind, string mode)
    {
        var target = new FileSinkTarget(kind, "/tmp/si-files");

        var settings = target.GetConnectorSettings(throughProxy: false);

        settings.Should().BeEquivalentTo(new Dictionary<string, string> { ["file.directory"] = "/tmp/si-files/${table}", ["file.mode"] = mode });
        target.Schema.Should().Be("/tmp/si-files");
        target.Proxy.Should().BeNull();
        target.OpenReader(ReferenceMatrix.Mapping with { Schema = target.Schema, Table = "si_0a1b2c3d_x" }).Description.Should().Be("JSON-lines files under /tmp/si-files/si_0a1b2c3d_x");
    }

    [Fact]
    public void FilesExplainUnsupported_TargetTimeout_SaysThereIsNoNetworkPath()
    {
        var target = new FileSinkTarget(ScenarioTarget.FilesAppendKind, "/tmp/si-files");
        var scenario = ReferenceMatrix.Make("timeout", ReferenceMatrix.FileSink, DeclaredSemantics.ExactlyOnceEffect, new TargetTimeout());

        target.ExplainUnsupported(scenario).Should().Contain("no network path").And.Contain("target-timeout");
    }

    [Theory]
    [InlineData("crash-after-target-write")]
    [InlineData("crash-after-offset-commit")]
    [InlineData("replay")]
    [InlineData("rebalance")]
    [InlineData("offset-commit-timeout")]
    [InlineData("offset-commit-refused")]
    [InlineData("fetch-stall")]
    public void FilesExplainUnsupported_FaultOffTheTargetsNetworkPath_IsNull(string fault)
    {
        var target = new FileSinkTarget(ScenarioTarget.FilesDeterministicKind, "/tmp/si-files");
        var scenario = ReferenceMatrix.Make("ok", ReferenceMatrix.FileSink, DeclaredSemantics.ExactlyOnceEffect, FaultCatalog.Find(fault)!.Reference());

        target.ExplainUnsupported(scenario).Should().BeNull();
    }

    [Fact]
    public async Task FilesDropTable_NameOutsideARunNamespace_IsRefusedAndDeletesNothing()
    {
        var root = Directory.CreateTempSubdirectory("si-files-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "orders"));
            Directory.CreateDirectory(Path.Combine(root, "si_0a1b2c3d_x"));
            var target = new FileSinkTarget(ScenarioTarget.FilesAppendKind, root);

            await FluentActions.Awaiting(() => target.DropTableAsync(root, "orders", TestContext.Current.CancellationToken)).Should().ThrowAsync<InvalidOperationException>();
            await target.DropTableAsync(root, "si_0a1b2c3d_x", TestContext.Current.CancellationToken);

            Directory.GetDirectories(root).Select(Path.GetFileName).Should().Equal("orders");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ScenarioTarget_Defaults_ArePostgreSqlWithTheEventIdColumn()
    {
        var target = new ScenarioTarget();

        target.Kind.Should().Be("postgres");
        target.Mapping.Should().Be(new PostgreSqlTableMapping { Table = "${table}" });
        ScenarioTarget.MySql().Kind.Should().Be("mysql");
    }

    [Fact]
    public void ScenarioTargetValidate_UnknownKind_NamesTheKinds()
    {
        var act = () => (new ScenarioTarget() with { Kind = "oracle" }).Validate();

        act.Should().Throw<ArgumentException>().WithMessage("The target kind 'oracle' is unknown; use one of postgres, mysql, files-append, files-deterministic, http-plain, http-idempotency-key, s3, elasticsearch.");
    }
}
