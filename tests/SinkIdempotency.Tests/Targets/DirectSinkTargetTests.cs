using FluentAssertions;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.ObjectStore;

namespace SinkIdempotency.Tests.Targets;

public sealed class DirectSinkTargetTests
{
    private static readonly S3Connection Store = new(new Uri("http://127.0.0.1:19000/"), "us-east-1", "access", "secret-key");

    public static TheoryData<string> Kinds => [ScenarioTarget.MySqlKind, ScenarioTarget.S3Kind, ScenarioTarget.ElasticsearchKind];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ExplainUnsupported_FaultOnTheTargetProxy_RefusesNamingWhereAndWhatToUse(string kind)
    {
        await using var target = Target(kind);

        var why = target.ExplainUnsupported(Scenario(new TargetTimeout()));

        why.Should().Contain($"The {kind} target in the test network").And.Contain("without the target fault proxy").And.Contain("target-timeout").And.Contain("target.kind postgres");
        target.Proxy.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ExplainUnsupported_CrashAfterTargetWriteAndReplay_AreAccepted(string kind)
    {
        await using var target = Target(kind);

        target.ExplainUnsupported(Scenario(new CrashAfterTargetWrite())).Should().BeNull();
        target.ExplainUnsupported(Scenario(new Replay())).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ExplainUnsupported_CrashAfterOffsetCommit_IsAccepted(string kind)
    {
        // No target refuses the loss window any longer: the Docker environment's freeze confirms no drain for any target
        // (PostgreSQL included), and its evidence says so.
        await using var target = Target(kind);

        target.ExplainUnsupported(Scenario(new CrashAfterOffsetCommit())).Should().BeNull();
    }

    [Fact]
    public void GetConnectorSettings_S3_PointsTheSinkAtTheNetworkStoreBucketAndRunFolder()
    {
        var settings = Target(ScenarioTarget.S3Kind).GetConnectorSettings(throughProxy: false);

        settings.Should().Contain("store.url", "http://minio:9000").And.Contain("s3.bucket.name", "bucket").And.Contain("s3.region", "us-east-1")
            .And.Contain("aws.access.key.id", "access").And.Contain("aws.secret.access.key", "secret-key").And.Contain("topics.dir", "${table}")
            .And.Contain("s3.path.style.access.enabled", "true");
    }

    [Fact]
    public void GetConnectorSettings_Elasticsearch_PointsTheSinkAtTheClusterAndRoutesTheTopicToTheRunsIndex()
    {
        var settings = Target(ScenarioTarget.ElasticsearchKind).GetConnectorSettings(throughProxy: false);

        settings.Should().Contain("connection.url", "http://elasticsearch:9200").And.Contain("transforms", "toRunIndex")
            .And.Contain("transforms.toRunIndex.type", "org.apache.kafka.connect.transforms.RegexRouter").And.Contain("transforms.toRunIndex.replacement", "${table}");
    }

    [Fact]
    public void GetConnectorSettings_MySql_GivesTheNetworkJdbcUrlEvenWhenAskedForTheProxy()
    {
        var settings = Target(ScenarioTarget.MySqlKind).GetConnectorSettings(throughProxy: true);

        settings["connection.url"].Should().Be("jdbc:mysql://mysql:3306/sinkidempotency?sslMode=DISABLED&allowPublicKeyRetrieval=true", "the mysql image's sink user authenticates with caching_sha2_password, which over plain TCP needs the server's RSA key");
        settings.Should().Contain("connection.user", "sink");
    }

    [Fact]
    public void JsonObjects_DefaultPartitionerWithoutRotation_NamesObjectsByStartOffsetOnly()
    {
        var settings = S3SinkSettings.JsonObjects(flushSize: 1);

        settings.Should().Contain("connector.class", "io.confluent.connect.s3.S3SinkConnector").And.Contain("flush.size", "1")
            .And.Contain("partitioner.class", "io.confluent.connect.storage.partitioner.DefaultPartitioner").And.Contain("format.class", "io.confluent.connect.s3.format.json.JsonFormat");
        settings.Keys.Should().NotContain(["rotate.schedule.interval.ms", "rotate.interval.ms"]);
        S3SinkSettings.JsonObjects(500, TimeSpan.FromSeconds(2)).Should().Contain("rotate.schedule.interval.ms", "2000");
        FluentActions.Invoking(() => S3SinkSettings.JsonObjects(0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public void Documents_KeyIgnore_SetsTheSinksIdChoice(bool keyIgnore, string expected) =>
        ElasticsearchSinkSettings.Documents(keyIgnore).Should().Contain("key.ignore", expected).And.Contain("connector.class", "io.confluent.connect.elasticsearch.ElasticsearchSinkConnector");

    [Fact]
    public void Validate_DockerOnlyKinds_AreKnownKinds()
    {
        ScenarioTarget.Of(ScenarioTarget.S3Kind).Validate();
        ScenarioTarget.Of(ScenarioTarget.ElasticsearchKind).Validate();
        FluentActions.Invoking(() => ScenarioTarget.Of("s4").Validate()).Should().Throw<ArgumentException>().WithMessage("*s3, elasticsearch*");
    }

    private static ISinkTarget Target(string kind) => kind switch
    {
        ScenarioTarget.MySqlKind => SinkTargets.MySql("Server=127.0.0.1;Port=13306;Database=sinkidempotency;User ID=sink;Password=pw", "mysql", 3306, "in the test network"),
        ScenarioTarget.S3Kind => SinkTargets.S3(Store, "bucket", new Uri("http://minio:9000/"), "in the test network"),
        _ => SinkTargets.Elasticsearch(new Uri("http://127.0.0.1:19200/"), new Uri("http://elasticsearch:9200/"), "in the test network"),
    };

    private static Scenario Scenario(Fault fault) => ReferenceMatrix.Make("x", ReferenceMatrix.PlainInsert, DeclaredSemantics.ExactlyOnceEffect, fault);
}
