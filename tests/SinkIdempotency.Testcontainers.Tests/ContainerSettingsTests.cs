using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

public sealed class ContainerSettingsTests
{
    [Theory]
    [InlineData(KafkaFlavour.Apache, "apache/kafka:4.1.1")]
    [InlineData(KafkaFlavour.Confluent, "confluentinc/cp-kafka:7.7.1")]
    public void Kafka_ModuleFlavours_AddTheNetworkListenerUnderTheKafkaAlias(KafkaFlavour flavour, string image)
    {
        var spec = ContainerSettings.Kafka(new DockerEnvironmentOptions { Flavour = flavour });

        spec.Image.Should().Be(image);
        spec.KafkaListener.Should().Be("kafka:19092");
        spec.NetworkAliases.Should().Equal("kafka");
        spec.Ports.Should().Equal(9092);
        spec.Entrypoint.Should().BeEmpty("the Testcontainers Kafka module owns the entrypoint and its start-up script");
        spec.Environment.Should().Contain("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "6000");
        ContainerSettings.Kafka(new DockerEnvironmentOptions { Flavour = flavour, GroupMinSessionTimeout = TimeSpan.FromSeconds(3) })
            .Environment.Should().Contain("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "3000");
    }

    [Fact]
    public void Kafka_Redpanda_WaitsForTheStartupScriptAndAdvertisesBothListeners()
    {
        var spec = ContainerSettings.Kafka(new DockerEnvironmentOptions { Flavour = KafkaFlavour.Redpanda });

        spec.Image.Should().Be("redpandadata/redpanda:v24.2.4");
        spec.KafkaListener.Should().BeNull();
        spec.NetworkAliases.Should().Equal("kafka");
        spec.Ports.Should().Equal(9092);
        spec.Entrypoint.Should().Equal("/bin/sh", "-c");
        spec.Command.Should().ContainSingle().Which.Should().Contain("while [ ! -f /testcontainers.sh ]").And.EndWith("exec /testcontainers.sh");
    }

    [Fact]
    public void RedpandaStartupScript_AdvertisesTheInternalAliasAndTheHostPort()
    {
        var script = ContainerSettings.RedpandaStartupScript("127.0.0.1", 49153);

        script.Should().StartWith("#!/bin/sh\n");
        script.Should().Contain("exec /entrypoint.sh redpanda start --mode dev-container --smp 1");
        script.Should().Contain("--kafka-addr internal://0.0.0.0:19092,external://0.0.0.0:9092");
        script.Should().Contain("--advertise-kafka-addr internal://kafka:19092,external://127.0.0.1:49153");
        script.Should().Contain("--set redpanda.group_min_session_timeout_ms=6000");
        script.Should().NotContain("\r");
        ContainerSettings.RedpandaStartupScript("127.0.0.1", 1, TimeSpan.FromSeconds(3)).Should().Contain("group_min_session_timeout_ms=3000");
    }

    [Fact]
    public void Connect_Worker_SetsTheGroupTopicsAdvertisedNameAndFailureTestTimings()
    {
        var options = new DockerEnvironmentOptions
        {
            OffsetFlushInterval = TimeSpan.FromSeconds(1),
            ScheduledRebalanceMaxDelay = TimeSpan.FromSeconds(2),
            WorkerSessionTimeout = TimeSpan.FromSeconds(6),
            ConsumerSessionTimeout = TimeSpan.FromSeconds(6),
        };

        var spec = ContainerSettings.Connect(options, "sinkidempotency/connect:test", "sinkidempotency-abc", 2);

        spec.Image.Should().Be("sinkidempotency/connect:test");
        spec.NetworkAliases.Should().Equal("connect-2");
        spec.Ports.Should().Equal(8083);
        spec.Environment.Should().Contain(new Dictionary<string, string>
        {
            ["CONNECT_BOOTSTRAP_SERVERS"] = "kafka:19092",
            ["CONNECT_GROUP_ID"] = "sinkidempotency-abc",
            ["CONNECT_CONFIG_STORAGE_TOPIC"] = "sinkidempotency-abc-configs",
            ["CONNECT_OFFSET_STORAGE_TOPIC"] = "sinkidempotency-abc-offsets",
            ["CONNECT_STATUS_STORAGE_TOPIC"] = "sinkidempotency-abc-status",
            ["CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR"] = "1",
            ["CONNECT_REST_ADVERTISED_HOST_NAME"] = "connect-2",
            ["CONNECT_REST_PORT"] = "8083",
            ["CONNECT_OFFSET_FLUSH_INTERVAL_MS"] = "1000",
            ["CONNECT_SCHEDULED_REBALANCE_MAX_DELAY_MS"] = "2000",
            ["CONNECT_SESSION_TIMEOUT_MS"] = "6000",
            ["CONNECT_HEARTBEAT_INTERVAL_MS"] = "1000",
            ["CONNECT_CONSUMER_SESSION_TIMEOUT_MS"] = "6000",
            ["CONNECT_CONSUMER_HEARTBEAT_INTERVAL_MS"] = "1000",
            ["CONNECT_VALUE_CONVERTER"] = "org.apache.kafka.connect.json.JsonConverter",
            ["CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE"] = "true",
        });
        spec.Environment["CONNECT_PLUGIN_PATH"].Split(',').Should().Contain("/usr/share/plugins").And.Contain("/usr/share/confluent-hub-components");
        ContainerSettings.ConnectWorkerId(2).Should().Be("connect-2:8083");
    }

    [Fact]
    public void Connect_WithoutSessionTimeouts_LeavesConnectsDefaults()
    {
        var spec = ContainerSettings.Connect(new DockerEnvironmentOptions(), "image:1", "g", 1);

        spec.Environment.Keys.Should().NotContain(["CONNECT_SESSION_TIMEOUT_MS", "CONNECT_CONSUMER_SESSION_TIMEOUT_MS"]);
        spec.Environment["CONNECT_OFFSET_FLUSH_INTERVAL_MS"].Should().Be("5000");
    }

    [Fact]
    public void Connect_PluginFolders_AreCopiedUnderUsrSharePlugins()
    {
        using var root = new TempFolder();
        var plugin = Directory.CreateDirectory(Path.Combine(root.Path, "my-sink")).FullName;

        var spec = ContainerSettings.Connect(new DockerEnvironmentOptions { PluginFolders = [plugin + Path.DirectorySeparatorChar] }, "image:1", "g", 1);

        spec.CopiedFolders.Should().Equal((plugin, "/usr/share/plugins/my-sink"));
    }

    [Fact]
    public void DockerEnvironment_PluginFolders_AreCopiedNeverBindMounted()
    {
        // A bind mount names a path of this machine, which a remote or Docker-in-Docker engine cannot see.
        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "SinkIdempotency.Testcontainers", "DockerEnvironment.Parts.cs"));

        source.Should().NotContain("WithBindMount").And.Contain("WithResourceMapping(new DirectoryInfo(source), target)");
    }

    [Theory]
    [InlineData(10_000, 10)]
    [InlineData(2_500, 3)]
    [InlineData(0, 0)]
    public void Connect_WorkerStopTimeout_BecomesTheContainersStopTimeoutInWholeSeconds(int milliseconds, int seconds)
    {
        var spec = ContainerSettings.Connect(new DockerEnvironmentOptions { WorkerStopTimeout = TimeSpan.FromMilliseconds(milliseconds) }, "image:1", "g", 1);

        spec.StopTimeoutSeconds.Should().Be(seconds, "Testcontainers' stop sends no timeout, so Docker uses the container's own");
    }

    [Fact]
    public void Connect_Heap_DefaultsToAFewHundredMegabytesAndFollowsTheOption()
    {
        ContainerSettings.Connect(new DockerEnvironmentOptions(), "image:1", "g", 1).Environment.Should().Contain("KAFKA_HEAP_OPTS", "-Xms256m -Xmx768m");
        ContainerSettings.Connect(new DockerEnvironmentOptions { WorkerHeapOptions = "-Xmx2g" }, "image:1", "g", 1).Environment.Should().Contain("KAFKA_HEAP_OPTS", "-Xmx2g");
    }

    [Fact]
    public void RedpandaStartupScript_LimitsMemoryAsTheTestcontainersModuleDoes()
    {
        ContainerSettings.RedpandaStartupScript("127.0.0.1", 49153).Should().Contain("--smp 1 --memory 1G ");
    }

    [Fact]
    public void RedpandaSessionCommands_SetTheClusterPropertyThroughRpkThenReadItBack()
    {
        var commands = ContainerSettings.RedpandaSessionCommands(TimeSpan.FromSeconds(6));

        commands.Should().HaveCount(2);
        commands[0].Should().Equal("rpk", "cluster", "config", "set", "group_min_session_timeout_ms", "6000");
        commands[1].Should().Equal("rpk", "cluster", "config", "get", "group_min_session_timeout_ms");
    }

    [Fact]
    public void CheckRedpandaSessionSetting_ReadBackDiffers_SaysWhatTheBrokerWouldDo()
    {
        ContainerSettings.CheckRedpandaSessionSetting("6000\n", TimeSpan.FromSeconds(6)).Should().BeNull();
        ContainerSettings.CheckRedpandaSessionSetting("6000", TimeSpan.FromSeconds(3))
            .Should().Be("Redpanda's group_min_session_timeout_ms reads '6000' after 'rpk cluster config set' to 3000: the broker would reject the sessions the workers ask for; check the image (KafkaImage) supports the property.");
    }

    [Fact]
    public void RedactContainerLog_HidesSecretsByShapeAndKeepsNames()
    {
        var log = "connection.url=jdbc:postgresql://postgres:5432/postgres?user=postgres&password=pg-S3cret!\nconnection.password=hunter22\r\ndatabase system is ready to accept connections\n";

        var redacted = ContainerSettings.RedactContainerLog(log);

        redacted.Should().NotContain("pg-S3cret!").And.NotContain("hunter22").And.NotContain("\r");
        redacted.Should().Contain("postgres:5432/postgres").And.Contain("database system is ready to accept connections", "names and ordinary lines stay readable");
        ContainerSettings.ContainerLogFile("connect-2").Should().Be("connect-2.log");
    }

    [Fact]
    public void Compose_Kafka_SetsTheClusterIdConfluentsImageRequires()
    {
        var compose = File.ReadAllText(Path.Combine(RepositoryRoot(), "docker", "compose.yaml"));

        var id = System.Text.RegularExpressions.Regex.Match(compose, @"^\s+CLUSTER_ID:\s*(\S+)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline);

        id.Success.Should().BeTrue("confluentinc/cp-kafka's configure script runs 'dub ensure CLUSTER_ID' in KRaft mode");
        Convert.FromBase64String(id.Groups[1].Value.Replace('-', '+').Replace('_', '/') + "==").Should().HaveCount(16, "a KRaft cluster id is a base64 UUID");
    }

    [Fact]
    public void Connect_WorkerProperties_BecomeConfluentVariables()
    {
        var options = new DockerEnvironmentOptions
        {
            WorkerProperties = new Dictionary<string, string> { ["task.shutdown.graceful.timeout.ms"] = "1000", ["consumer.max.poll.records"] = "50" },
        };

        var spec = ContainerSettings.Connect(options, "image:1", "g", 1);

        spec.Environment.Should().Contain("CONNECT_TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS", "1000").And.Contain("CONNECT_CONSUMER_MAX_POLL_RECORDS", "50");
    }

    [Theory]
    [InlineData("offset.flush.interval.ms", "CONNECT_OFFSET_FLUSH_INTERVAL_MS")]
    [InlineData("producer.client_id", "CONNECT_PRODUCER_CLIENT__ID")]
    [InlineData("log4j.logger.org.apache-kafka", "CONNECT_LOG4J_LOGGER_ORG_APACHE___KAFKA")]
    public void ConnectVariable_FollowsTheConfluentImageNaming(string property, string variable) =>
        ContainerSettings.ConnectVariable(property).Should().Be(variable);

    [Fact]
    public void PostgreSqlDurabilityCommand_SwitchesFsyncSynchronousCommitAndFullPageWritesOn()
    {
        ContainerSettings.PostgreSqlDurabilityCommand.Should().Equal("-c", "fsync=on", "-c", "full_page_writes=on", "-c", "synchronous_commit=on");
    }

    [Fact]
    public void Aliases_MatchTheHostNamesConnectorsUse()
    {
        ContainerSettings.InternalBootstrap.Should().Be("kafka:19092");
        ContainerSettings.PostgreSqlAlias.Should().Be("postgres");
        ContainerSettings.HostAlias.Should().Be("host.testcontainers.internal");
        ContainerSettings.ConnectAlias(1).Should().Be("connect-1");
    }

    [Fact]
    public void ConnectDockerfile_Find_LocatesTheRepositorysConnectImage()
    {
        var folder = ConnectDockerfile.Find(AppContext.BaseDirectory);

        folder.Should().NotBeNull();
        File.ReadAllText(Path.Combine(folder!, "Dockerfile")).Should().Contain("confluentinc/cp-kafka-connect").And.Contain("kafka-connect-jdbc");
    }

    private static string RepositoryRoot() => Path.GetDirectoryName(Path.GetDirectoryName(ConnectDockerfile.Find(AppContext.BaseDirectory)!)!)!;
}
