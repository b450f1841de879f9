using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests.Docker;

public sealed class DockerScenarioFixtureTests
{
    [Fact]
    public void Unavailable_DockerNotRequired_BecomesASkipWithTheReason()
    {
        var missing = new DockerUnavailableException("No Docker engine is reachable (DOCKER_HOST is not set). Start Docker.");

        var translated = DockerScenarioFixture.Unavailable(missing, requireDocker: null);

        translated.Should().BeOfType<ScenarioEnvironmentUnavailableException>().Which.Message.Should().Contain("No Docker engine is reachable").And.Contain("Start Docker");
    }

    [Fact]
    public void Unavailable_DockerRequired_BecomesAFailure()
    {
        var missing = new DockerUnavailableException("No Docker engine is reachable.");

        var translated = DockerScenarioFixture.Unavailable(missing, requireDocker: "1");

        translated.Should().NotBeAssignableTo<ScenarioEnvironmentUnavailableException>();
        translated.Message.Should().Contain("SINKIDEMPOTENCY_REQUIRE_DOCKER=1").And.Contain("No Docker engine is reachable.");
        translated.InnerException.Should().BeSameAs(missing);
    }

    [Fact]
    public async Task GetEnvironmentOrSkip_NoDockerHere_SkipsWithTheDockerReason()
    {
        Assert.SkipWhen(DockerAvailability.EngineLikelyPresent, "A Docker engine may be reachable here.");
        Assert.SkipWhen(Environment.GetEnvironmentVariable(DockerScenarioFixture.RequireDockerVariable) == "1", "Docker is required here.");
        Assert.SkipWhen(Environment.GetEnvironmentVariable(DockerScenarioFixture.SkipDockerVariable) == "1", "The Docker suite is switched off here.");
        await using var fixture = new DockerScenarioFixture();

        var start = () => fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);

        (await start.Should().ThrowAsync<ScenarioEnvironmentUnavailableException>()).Which.Message.Should().Contain("needs a Docker engine").And.Contain("DOCKER_HOST");
    }
}
