using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.Testcontainers.Tests.Docker;

/// <summary>Runs Confluent's JDBC sink into the Docker environment's MySQL container (<see cref="TargetSinkMatrices.MySql"/>): plain inserts must come out red where the window opens, upserts by Kafka coordinates must not.</summary>
[Collection<DockerCollection>]
[Trait("Category", "Docker")]
public sealed class MySqlJdbcKnownAnswerTests(DockerEnvironmentFixture fixture)
{
    public static TheoryData<string> Names => [.. TargetSinkMatrices.MySql.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task RunAsync_EveryCell_ReachesItsKnownAnswer(string name)
    {
        var cell = TargetSinkMatrices.MySql.Single(s => s.Name == name);

        var result = await fixture.RunAsync(cell.Scenario);

        if (cell.MustBeRed)
        {
            result.Should().BeRed().And.HaveInjectedTheFault();
        }
        else
        {
            result.Should().NotBeRed();
        }
    }

    [Fact]
    public async Task CrashAfterTargetWrite_PlainInsertIntoMySql_IsRedWithDuplicatesAndNoLoss()
    {
        var result = await fixture.RunAsync(Cell($"crash-after-target-write/{TargetSinkMatrices.MySqlInsertColumn}"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
    }

    [Fact]
    public async Task Replay_UpsertIntoMySql_IsGreen()
    {
        var result = await fixture.RunAsync(Cell($"replay/{TargetSinkMatrices.MySqlUpsertColumn}"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    private static Scenario Cell(string name) => TargetSinkMatrices.MySql.Single(s => s.Name == name).Scenario;
}
