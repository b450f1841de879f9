using System.Diagnostics;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

/// <summary>Runs where no Docker engine is reachable (this project's build machine); skipped where Docker runs.</summary>
public sealed class DockerUnavailableTests
{
    [Fact]
    public async Task StartAsync_NoDockerEngine_ThrowsDockerUnavailableSayingWhatToChange()
    {
        Assert.SkipWhen(DockerAvailability.EngineLikelyPresent, "A Docker engine may be reachable here (DOCKER_HOST or /var/run/docker.sock exists).");
        var builder = new DockerEnvironmentBuilder().WithDockerProbeTimeout(TimeSpan.FromSeconds(20));

        var start = () => builder.StartAsync(TestContext.Current.CancellationToken);

        var thrown = await start.Should().ThrowAsync<DockerUnavailableException>();
        thrown.Which.Message.Should().Contain("No Docker engine").And.Contain("DOCKER_HOST").And.Contain("Start Docker").And.Contain("embedded");
    }

    [Fact]
    public async Task StartAsync_NoDockerEngine_FailsWithinTheProbeTimeoutAndCreatesNothing()
    {
        Assert.SkipWhen(DockerAvailability.EngineLikelyPresent, "A Docker engine may be reachable here.");
        await using var environment = new DockerEnvironmentBuilder().WithDockerProbeTimeout(TimeSpan.FromSeconds(20)).Build();
        var clock = Stopwatch.StartNew();

        await FluentActions.Awaiting(() => environment.StartAsync(TestContext.Current.CancellationToken)).Should().ThrowAsync<DockerUnavailableException>();

        // Not a speed assert: the bound is the probe's own deadline, which must hold even on a loaded machine.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "detection is bounded by the probe timeout and must not hang");
        environment.ConnectUrls.Should().BeEmpty();
        environment.TargetProxy.Should().BeNull("nothing is created before Docker answers");
        await FluentActions.Awaiting(() => environment.StartAsync(TestContext.Current.CancellationToken)).Should().ThrowAsync<InvalidOperationException>().WithMessage("*already started*");
    }

    [Fact]
    public void DockerUnavailableException_DefaultMessage_CarriesTheAdvice()
    {
        new DockerUnavailableException().Message.Should().Contain(DockerUnavailableException.Advice);
    }

    [Fact]
    public void DockerUnavailableException_Always_IsAnEnvironmentUnavailableExceptionButNotTheSkipType()
    {
        var missing = new DockerUnavailableException();

        missing.Should().BeAssignableTo<SinkIdempotency.Environments.EnvironmentUnavailableException>("the CLI exits with code 2 on the one base type");
        missing.Should().NotBeAssignableTo<SinkIdempotency.Scenarios.ScenarioEnvironmentUnavailableException>("only the fixture decides to skip (SINKIDEMPOTENCY_REQUIRE_DOCKER=1 makes it fail)");
    }
}
