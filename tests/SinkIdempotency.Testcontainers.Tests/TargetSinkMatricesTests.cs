using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

public sealed class TargetSinkMatricesTests
{
    public static TheoryData<string> Lists => ["mysql", "s3", "elasticsearch"];

    [Fact]
    public void MySql_InsertAndUpsertColumns_TargetMySqlWithTheJdbcSinksSettings()
    {
        TargetSinkMatrices.MySql.Should().NotBeEmpty();
        TargetSinkMatrices.MySql.Should().OnlyContain(s => s.Scenario.Target.Kind == ScenarioTarget.MySqlKind);
        var insert = TargetSinkMatrices.MySql.Where(s => s.Column == TargetSinkMatrices.MySqlInsertColumn).ToList();
        var upsert = TargetSinkMatrices.MySql.Where(s => s.Column == TargetSinkMatrices.MySqlUpsertColumn).ToList();
        insert.Should().HaveSameCount(upsert);
        insert.Should().OnlyContain(s => s.Scenario.ConnectorConfig["insert.mode"] == "insert" && s.Scenario.ConnectorConfig["connector.class"] == JdbcSinkMatrix.JdbcSinkClass);
        upsert.Should().OnlyContain(s => s.Scenario.ConnectorConfig["insert.mode"] == "upsert" && s.Scenario.ConnectorConfig["pk.mode"] == "kafka" && !s.MustBeRed);
        insert.Single(s => s.Scenario.Fault is CrashAfterTargetWrite).MustBeRed.Should().BeTrue();
    }

    [Fact]
    public void S3_EveryScenario_WritesOneRecordObjectsToTheS3TargetAndMustNotBeRed()
    {
        TargetSinkMatrices.S3.Should().NotBeEmpty();
        TargetSinkMatrices.S3.Should().OnlyContain(s => s.Scenario.Target.Kind == ScenarioTarget.S3Kind && !s.MustBeRed
            && s.Scenario.ConnectorConfig["connector.class"] == S3SinkSettings.ConnectorClass && s.Scenario.ConnectorConfig["flush.size"] == "1");
    }

    [Fact]
    public void Elasticsearch_BothIdChoices_PairedPerFailureCaseWithTheirClaims()
    {
        var list = TargetSinkMatrices.Elasticsearch;

        list.Should().NotBeEmpty().And.OnlyContain(s => s.Scenario.Target.Kind == ScenarioTarget.ElasticsearchKind && !s.MustBeRed);
        list.Where((_, i) => i % 2 == 0).Should().OnlyContain(s => s.Column == TargetSinkMatrices.ElasticsearchOffsetIdsColumn
            && s.Scenario.ConnectorConfig["key.ignore"] == "true" && s.Scenario.Semantics == DeclaredSemantics.ExactlyOnceEffect);
        list.Where((_, i) => i % 2 == 1).Should().OnlyContain(s => s.Column == TargetSinkMatrices.ElasticsearchKeyIdsColumn
            && s.Scenario.ConnectorConfig["key.ignore"] == "false" && s.Scenario.Semantics == DeclaredSemantics.UpsertByKey);
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public void Scenarios_EveryList_LeavesOutWhatItsTargetRefuses(string list)
    {
        var scenarios = Of(list);

        scenarios.Should().OnlyContain(s => (s.Scenario.Fault!.RequiredCapabilities & EnvironmentCapabilities.TargetFaultProxy) == EnvironmentCapabilities.None);
        scenarios.Should().Contain(s => s.Scenario.Fault is CrashAfterOffsetCommit);
        scenarios.Select(s => s.Name).Should().OnlyHaveUniqueItems();
        scenarios.Should().Contain(s => s.Scenario.Fault is CrashAfterTargetWrite).And.Contain(s => s.Scenario.Fault is Replay);
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public void Scenarios_EveryList_IsAcceptedByItsTarget(string list)
    {
        foreach (var scenario in Of(list))
        {
            Target(scenario.Scenario.Target.Kind).ExplainUnsupported(scenario.Scenario).Should().BeNull(scenario.Name);
        }
    }

    [Fact]
    public void TargetKinds_DockerEnvironment_ServesMySqlS3AndElasticsearchButNotTheReferenceSinksTargets()
    {
        var environment = new DockerEnvironmentBuilder().Build();

        environment.TargetKinds.Should().Equal(ScenarioTarget.MySqlKind, ScenarioTarget.S3Kind, ScenarioTarget.ElasticsearchKind);
    }

    [Fact]
    public async Task OpenTargetAsync_FilesKind_IsRefusedNamingTheEmbeddedEnvironment()
    {
        await using var environment = new DockerEnvironmentBuilder().Build();

        var open = () => environment.OpenTargetAsync(ScenarioTarget.FilesDeterministicKind, TestContext.Current.CancellationToken);

        (await open.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("files-deterministic").And.Contain("--env embedded");
    }

    private static IReadOnlyList<ReferenceScenario> Of(string list) => list switch
    {
        "mysql" => TargetSinkMatrices.MySql,
        "s3" => TargetSinkMatrices.S3,
        _ => TargetSinkMatrices.Elasticsearch,
    };

    private static ISinkTarget Target(string kind) => kind switch
    {
        ScenarioTarget.MySqlKind => SinkTargets.MySql("Server=127.0.0.1;Database=sinkidempotency;User ID=sink;Password=pw", "mysql", 3306, "in the Docker environment"),
        ScenarioTarget.S3Kind => SinkTargets.S3(new(new Uri("http://127.0.0.1:9/"), "us-east-1", "a", "b"), "bucket", new Uri("http://minio:9000"), "in the Docker environment"),
        _ => SinkTargets.Elasticsearch(new Uri("http://127.0.0.1:9/"), new Uri("http://elasticsearch:9200"), "in the Docker environment"),
    };
}
