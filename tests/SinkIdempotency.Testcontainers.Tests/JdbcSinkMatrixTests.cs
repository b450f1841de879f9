using System.Text.Json;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Testcontainers.Tests;

public sealed class JdbcSinkMatrixTests
{
    [Fact]
    public void Scenarios_AreTheSixFailureCasesTimesInsertAndUpsert()
    {
        JdbcSinkMatrix.Scenarios.Select(s => s.Name).Should().Equal(
            "crash-after-target-write/jdbc-insert", "crash-after-target-write/jdbc-upsert",
            "crash-after-offset-commit/jdbc-insert", "crash-after-offset-commit/jdbc-upsert",
            "target-timeout/jdbc-insert", "target-timeout/jdbc-upsert",
            "rebalance/jdbc-insert", "rebalance/jdbc-upsert",
            "schema-break/jdbc-insert", "schema-break/jdbc-upsert",
            "replay/jdbc-insert", "replay/jdbc-upsert");
        JdbcSinkMatrix.Scenarios.Should().OnlyContain(
            s => (s.Scenario.Fault!.RequiredCapabilities & ~DockerEnvironment.ServableCapabilities) == SinkIdempotency.Environments.EnvironmentCapabilities.None,
            "a failure case the Docker environment cannot serve (offset-commit-timeout needs the embedded broker) would skip in every run");
        JdbcSinkMatrix.Scenarios.Where(s => s.MustBeRed).Should().OnlyContain(s => s.Column == JdbcSinkMatrix.InsertColumn);
        JdbcSinkMatrix.Scenarios.Where(s => !s.MustBeRed).Should().OnlyContain(
            s => s.Column == JdbcSinkMatrix.UpsertColumn || s.Scenario.Fault is Faults.CrashAfterOffsetCommit,
            "the JDBC sink writes every record before its offset can be committed, so no column opens the loss window");
    }

    [Fact]
    public void Columns_UseTheConfluentJdbcSinksRealKeys()
    {
        foreach (var scenario in JdbcSinkMatrix.Scenarios)
        {
            var config = scenario.Scenario.ConnectorConfig;
            config["connector.class"].Should().Be("io.confluent.connect.jdbc.JdbcSinkConnector");
            config["auto.create"].Should().Be("true");
            config["value.converter.schemas.enable"].Should().Be("true");
            (config["insert.mode"], config["pk.mode"]).Should().Be(scenario.Column == JdbcSinkMatrix.InsertColumn ? ("insert", "none") : ("upsert", "kafka"));
            config["retry.backoff.ms"].Should().Be(((long)ReferenceMatrix.RetryBackoff.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void SchemaBreak_InsertToleratesAllWithoutDeadLetterQueue_UpsertHasOne()
    {
        var insert = JdbcSinkMatrix.Scenarios.Single(s => s.Name == "schema-break/jdbc-insert").Scenario;
        var upsert = JdbcSinkMatrix.Scenarios.Single(s => s.Name == "schema-break/jdbc-upsert").Scenario;

        insert.ConnectorConfig.Should().Contain("errors.tolerance", "all");
        insert.DeadLetterQueue.Should().BeFalse();
        upsert.DeadLetterQueue.Should().BeTrue();
    }

    [Fact]
    public void Mapping_NamesColumnsTheJdbcSinkCreatesFromTheWorkloadsValueSchema()
    {
        // The JDBC sink names auto-created columns after the value struct's fields.
        var record = new WorkloadGenerator(new ScenarioWorkload { Records = 1, Keys = 1 }).Generate().First();
        using var value = JsonDocument.Parse(record.ValueBytes);
        var fields = value.RootElement.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()).ToList();
        var mapping = JdbcSinkMatrix.Mapping;

        fields.Should().Contain([mapping.EventIdColumn, mapping.KeyColumn, mapping.VersionColumn, mapping.PayloadColumn]);
        mapping.Table.Should().Be("${table}");
    }

    [Fact]
    public void EnvironmentBuilder_UsesTheReferenceMatrixFlushesAndSixSecondSessions()
    {
        var options = JdbcSinkMatrix.EnvironmentBuilder().Options;

        options.Workers.Should().Be(1);
        options.OffsetFlushInterval.Should().Be(ReferenceMatrix.OffsetFlushInterval);
        options.ConsumerSessionTimeout.Should().Be(TimeSpan.FromSeconds(6), "a pause of a few seconds on a shared CI runner must not evict a live member");
        options.WorkerSessionTimeout.Should().Be(TimeSpan.FromSeconds(6));
        options.GroupMinSessionTimeout.Should().BeLessThanOrEqualTo(JdbcSinkMatrix.SessionTimeout, "the broker must accept the sessions");
        options.Validate();
        options.ScheduledRebalanceMaxDelay.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData(KafkaFlavour.Apache)]
    [InlineData(KafkaFlavour.Confluent)]
    [InlineData(KafkaFlavour.Redpanda)]
    [InlineData(KafkaFlavour.AutoMQ)]
    public void EnvironmentBuilder_GeneratedSettings_GiveWorkersAndConsumersSixSecondSessionsTheBrokerAccepts(KafkaFlavour flavour)
    {
        var options = JdbcSinkMatrix.EnvironmentBuilder().WithKafka(flavour).Options;

        var worker = ContainerSettings.Connect(options, "image:1", "g", 1).Environment;
        var broker = ContainerSettings.Kafka(options);

        worker.Should().Contain("CONNECT_SESSION_TIMEOUT_MS", "6000").And.Contain("CONNECT_CONSUMER_SESSION_TIMEOUT_MS", "6000");
        worker.Should().Contain("CONNECT_HEARTBEAT_INTERVAL_MS", "1000").And.Contain("CONNECT_CONSUMER_HEARTBEAT_INTERVAL_MS", "1000");
        var minimum = flavour switch
        {
            KafkaFlavour.Redpanda => ContainerSettings.RedpandaSessionCommands(options.GroupMinSessionTimeout)[0][^1],
            KafkaFlavour.AutoMQ => ContainerSettings.AutoMQServerOverrides("h", 1, "Mk3OEXBSQ3qCDQx1a3Nc1A", options.GroupMinSessionTimeout).Single(kv => kv.Key == "group.min.session.timeout.ms").Value,
            _ => broker.Environment["KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS"],
        };
        long.Parse(minimum, System.Globalization.CultureInfo.InvariantCulture).Should().BeLessThanOrEqualTo(6000, "the broker must accept a 6 s session");
    }

    [Fact]
    public void ReferenceMatrixBuild_WithTheReferenceSinksSettings_ReproducesTheEmbeddedMatrix()
    {
        var rebuilt = ReferenceMatrix.Build(ReferenceMatrix.InsertColumn, ReferenceMatrix.PlainInsert, ReferenceMatrix.UpsertColumn, ReferenceMatrix.UpsertByCoordinates, ReferenceMatrix.Mapping);

        rebuilt.Should().HaveCount(ReferenceMatrix.Scenarios.Count);
        foreach (var (expected, actual) in ReferenceMatrix.Scenarios.Zip(rebuilt))
        {
            actual.Name.Should().Be(expected.Name);
            actual.Column.Should().Be(expected.Column);
            actual.MustBeRed.Should().Be(expected.MustBeRed);
            actual.Scenario.ConnectorConfig.Should().Equal(expected.Scenario.ConnectorConfig);
            actual.Scenario.Target.Should().Be(expected.Scenario.Target);
            actual.Scenario.DeadLetterQueue.Should().Be(expected.Scenario.DeadLetterQueue);
            actual.Scenario.Fault!.GetType().Should().Be(expected.Scenario.Fault!.GetType());
        }
    }
}
