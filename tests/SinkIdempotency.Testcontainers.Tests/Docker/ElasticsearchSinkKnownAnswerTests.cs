using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.Testcontainers.Tests.Docker;

/// <summary>Runs Elasticsearch's sink connector into an Elasticsearch container (<see cref="TargetSinkMatrices.Elasticsearch"/>): ids by <c>topic+partition+offset</c> (one document per event) and by record key (upsert by key) both overwrite on redelivery, so no cell may be red.</summary>
[Collection<DockerCollection>]
[Trait("Category", "Docker")]
public sealed class ElasticsearchSinkKnownAnswerTests(DockerEnvironmentFixture fixture)
{
    public static TheoryData<string> Names => [.. TargetSinkMatrices.Elasticsearch.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task RunAsync_EveryCell_IsNotRed(string name)
    {
        var result = await fixture.RunAsync(TargetSinkMatrices.Elasticsearch.Single(s => s.Name == name).Scenario);

        result.Should().NotBeRed();
    }

    [Theory]
    [InlineData(TargetSinkMatrices.ElasticsearchOffsetIdsColumn)]
    [InlineData(TargetSinkMatrices.ElasticsearchKeyIdsColumn)]
    public async Task CrashAfterTargetWrite_EitherIdChoice_IsGreen(string column)
    {
        var result = await fixture.RunAsync(Cell($"crash-after-target-write/{column}"));

        result.Should().BeGreen().And.HaveInjectedTheFault().And.HaveNoLostRecords();
    }

    [Fact]
    public async Task Replay_OffsetIds_IsGreen()
    {
        var result = await fixture.RunAsync(Cell($"replay/{TargetSinkMatrices.ElasticsearchOffsetIdsColumn}"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    private static Scenario Cell(string name) => TargetSinkMatrices.Elasticsearch.Single(s => s.Name == name).Scenario;
}
