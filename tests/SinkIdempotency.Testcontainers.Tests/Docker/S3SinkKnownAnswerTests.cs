using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.Testcontainers.Tests.Docker;

/// <summary>Runs Confluent's S3 sink into MinIO (<see cref="TargetSinkMatrices.S3"/>): objects named by topic, partition and start offset are uploaded again under the same names on a replay, so no cell may be red.</summary>
[Collection<DockerCollection>]
[Trait("Category", "Docker")]
public sealed class S3SinkKnownAnswerTests(DockerEnvironmentFixture fixture)
{
    public static TheoryData<string> Names => [.. TargetSinkMatrices.S3.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task RunAsync_EveryCell_IsNotRed(string name)
    {
        var result = await fixture.RunAsync(TargetSinkMatrices.S3.Single(s => s.Name == name).Scenario);

        result.Should().NotBeRed();
    }

    [Fact]
    public async Task CrashAfterTargetWrite_DeterministicObjects_IsGreenWithObjectsAheadOfTheCommit()
    {
        var result = await fixture.RunAsync(Cell($"crash-after-target-write/{TargetSinkMatrices.S3DeterministicColumn}"));

        result.Should().BeGreen().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.CrashWindow!.RowsAhead.Should().BePositive();
    }

    [Fact]
    public async Task Replay_DeterministicObjects_IsGreen()
    {
        var result = await fixture.RunAsync(Cell($"replay/{TargetSinkMatrices.S3DeterministicColumn}"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    private static Scenario Cell(string name) => TargetSinkMatrices.S3.Single(s => s.Name == name).Scenario;
}
