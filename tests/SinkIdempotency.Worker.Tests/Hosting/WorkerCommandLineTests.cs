using SinkIdempotency.Worker.Hosting;

namespace SinkIdempotency.Worker.Tests.Hosting;

public sealed class WorkerCommandLineTests
{
    [Fact]
    public void Parse_RequiredOnly_UsesConnectDefaults()
    {
        var (options, error) = WorkerCommandLine.Parse(["--bootstrap-servers", "127.0.0.1:9092", "--group-id", "c1"]);

        error.Should().BeNull();
        options!.RestPort.Should().Be(8083);
        options.RestHost.Should().Be("127.0.0.1");
        options.OffsetFlushIntervalMs.Should().Be(60_000);
        options.OffsetFlushTimeoutMs.Should().Be(5_000);
        options.TaskShutdownGracefulTimeoutMs.Should().Be(5_000);
        options.ClusterSessionTimeoutMs.Should().Be(10_000);
        options.ClusterSlots.Should().Be(64);
        options.Detached.Should().BeFalse();
        options.Standby.Should().BeFalse();
        options.ClusterHeartbeatIntervalMs.Should().BeNull("the membership heartbeats every third of the session timeout, as Connect");
        options.WorkerId.Should().BeNull();
        options.ConfigTopic.Should().Be("connect-configs-c1");
        options.StatusTopic.Should().Be("connect-status-c1");
        options.AssignmentTopic.Should().Be("connect-assignments-c1");
    }

    [Fact]
    public void Parse_AllOptions_SetsEveryValue()
    {
        var (options, error) = WorkerCommandLine.Parse(
        [
            "--bootstrap-servers=b:1", "--group-id", "g", "--rest-port", "0", "--worker-id", "w1", "--offset-flush-interval-ms", "1000",
            "--consumer-property", "session.timeout.ms=6000", "--client-property", "socket.timeout.ms=1000", "--worker-property",
            "value.converter=org.apache.kafka.connect.storage.StringConverter", "--plugin-path", "/plugins", "--detached",
        ]);

        error.Should().BeNull();
        options!.BootstrapServers.Should().Be("b:1");
        options.RestPort.Should().Be(0);
        options.WorkerId.Should().Be("w1");
        options.OffsetFlushIntervalMs.Should().Be(1000);
        options.ConsumerProperties.Should().Contain("session.timeout.ms", "6000");
        options.ClientProperties.Should().Contain("socket.timeout.ms", "1000");
        options.WorkerProperties.Should().Contain("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        options.PluginPaths.Should().Equal("/plugins");
        options.Detached.Should().BeTrue();
    }

    [Fact]
    public void Parse_StandbyWithHeartbeat_SetsBoth()
    {
        var (options, error) = WorkerCommandLine.Parse(["--bootstrap-servers", "b:1", "--group-id", "g", "--cluster-session-timeout-ms", "3000", "--cluster-heartbeat-interval-ms", "300", "--standby"]);

        error.Should().BeNull();
        options!.Standby.Should().BeTrue();
        options.ClusterHeartbeatIntervalMs.Should().Be(300);
    }

    [Theory]
    [InlineData(new[] { "--bootstrap-servers", "b:1", "--group-id", "g", "--standby", "--detached" }, "--standby waits for a 'join' line on standard input, which --detached ignores; use one of them.")]
    [InlineData(new[] { "--bootstrap-servers", "b:1", "--group-id", "g", "--cluster-heartbeat-interval-ms", "10000" }, "--cluster-heartbeat-interval-ms (10000) must be shorter than --cluster-session-timeout-ms (10000).")]
    [InlineData(new[] { "--group-id", "g" }, "--bootstrap-servers is required (e.g. --bootstrap-servers 127.0.0.1:9092).")]
    [InlineData(new[] { "--bootstrap-servers", "b:1" }, "--group-id is required (workers with the same group id form one cluster).")]
    [InlineData(new[] { "--bootstrap-servers", "b:1", "--group-id", "g", "--rest-port", "x" }, "--rest-port must be an integer between 0 and 65535, got 'x'.")]
    [InlineData(new[] { "--bootstrap-servers", "b:1", "--group-id", "g", "--consumer-property", "novalue" }, "--consumer-property expects KEY=VALUE, got 'novalue'.")]
    [InlineData(new[] { "--bootstrap-servers", "b:1", "--group-id", "g", "--bogus" }, "Unknown option '--bogus'.")]
    [InlineData(new[] { "--bootstrap-servers" }, "--bootstrap-servers needs a value")]
    public void Parse_InvalidArguments_ReturnsError(string[] args, string expected)
    {
        var (options, error) = WorkerCommandLine.Parse(args);

        options.Should().BeNull();
        error.Should().Be(expected);
    }

    [Fact]
    public void Parse_ClientPropertiesVariable_AddsEachLineAndTheCommandLineWins()
    {
        var variable = "security.protocol=SASL_SSL\r\nsasl.password= pass with spaces \n\nsocket.timeout.ms=1000\n";

        var (options, error) = WorkerCommandLine.Parse(["--bootstrap-servers", "b:1", "--group-id", "g", "--client-property", "socket.timeout.ms=2000"], variable);

        error.Should().BeNull();
        options!.ClientProperties.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["security.protocol"] = "SASL_SSL",
            ["sasl.password"] = " pass with spaces ",
            ["socket.timeout.ms"] = "2000",
        });
        WorkerCommandLine.ClientPropertiesVariable.Should().Be("SINKIDEMPOTENCY_WORKER_CLIENT_PROPERTIES");
    }

    [Fact]
    public void Parse_ClientPropertiesVariableLineWithoutEquals_ErrorNamesTheVariableAndNotTheValue()
    {
        var (options, error) = WorkerCommandLine.Parse(["--bootstrap-servers", "b:1", "--group-id", "g"], "sasl.password");

        options.Should().BeNull();
        error.Should().Be("SINKIDEMPOTENCY_WORKER_CLIENT_PROPERTIES needs one KEY=VALUE a line; got '(no '=')'.");
    }
}
