using SinkIdempotency.Cli.Matrix;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Environments;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Cli.Tests.Run;

/// <summary>Runs <c>--env docker</c> through the real Docker environment; on this machine no engine is reachable.</summary>
public sealed class DockerRunTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static bool EngineLikelyPresent =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_DockerEnvironmentWithoutEngine_ExitsTwoWithTheDockerUnavailableMessage()
    {
        Assert.SkipWhen(EngineLikelyPresent, "A Docker engine may be reachable here.");

        var (code, output, error) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--env", "docker", "--filter", "replay/*");

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain("--env docker needs a Docker engine").And.Contain("DOCKER_HOST").And.Contain("--env embedded");
        output.Should().BeEmpty();
    }

    [Fact]
    public async Task StartAsync_DockerWithoutEngine_FailsInTheDockerEnvironmentsProbe()
    {
        Assert.SkipWhen(EngineLikelyPresent, "A Docker engine may be reachable here.");

        var start = () => new EnvironmentSessionFactory().StartAsync(EnvironmentKind.Docker, _folder.Path, TestContext.Current.CancellationToken);

        var thrown = await start.Should().ThrowAsync<EnvironmentUnavailableException>();
        thrown.Which.InnerException.Should().BeOfType<DockerUnavailableException>();
        thrown.Which.Message.Should().Be(EnvironmentSessionFactory.DockerMessage());
    }

    [Fact]
    public async Task Run_ListWithDockerEnvironment_ListsTheJdbcSinkMatrixWithoutStartingIt()
    {
        var (code, output, _) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--env", "docker", "--list");

        code.Should().Be(ExitCodes.Ok);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(12, "six failure cases × two columns: offset-commit-timeout needs the embedded broker and is left out of the Docker matrix");
        lines.Should().NotContain(l => l.StartsWith("offset-commit-timeout/", StringComparison.Ordinal));
        lines[0].Should().StartWith("crash-after-target-write/jdbc-insert\tcrash-after-target-write\tjdbc-insert");
        lines.Should().OnlyContain(l => l.Contains("jdbc-", StringComparison.Ordinal));
    }

    [Fact]
    public void For_Docker_IsTheJdbcMatrixAndOtherEnvironmentsKeepTheReferenceMatrix()
    {
        BuiltInMatrix.For(EnvironmentKind.Docker).Select(e => e.Scenario).Should().Equal(JdbcSinkMatrix.Scenarios.Select(s => s.Scenario));
        BuiltInMatrix.For(EnvironmentKind.Embedded).Should().BeSameAs(BuiltInMatrix.AllTargetEntries);
        BuiltInMatrix.For(EnvironmentKind.External).Should().BeSameAs(BuiltInMatrix.Entries);
    }
}
