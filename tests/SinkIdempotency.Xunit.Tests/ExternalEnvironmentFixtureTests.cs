using System.Net;
using System.Net.Sockets;
using SinkIdempotency.Environments;
using Xunit.Sdk;

namespace SinkIdempotency.Xunit.Tests;

public sealed class ExternalEnvironmentFixtureTests
{
    [Fact]
    public async Task GetEnvironmentOrSkipAsync_NothingConfigured_SkipsNamingTheVariables()
    {
        await using var fixture = new Fixture(new Dictionary<string, string>());

        var skip = await FluentActions.Awaiting(() => fixture.GetEnvironmentOrSkipAsync()).Should().ThrowAsync<SkipException>();

        skip.Which.Message.Should().EndWith("No external cluster is configured: set SINKIDEMPOTENCY_BOOTSTRAP_SERVERS, SINKIDEMPOTENCY_CONNECT_URLS and SINKIDEMPOTENCY_TARGET to run these tests against it.");
        fixture.IsStarted.Should().BeFalse();
    }

    [Fact]
    public async Task GetEnvironmentOrSkipAsync_HalfConfigured_FailsListingWhatIsMissing()
    {
        await using var fixture = new Fixture(new Dictionary<string, string> { [ExternalEnvironmentOptions.BootstrapServersVariable] = "broker:9092" });

        var failure = await FluentActions.Awaiting(() => fixture.GetEnvironmentOrSkipAsync()).Should().ThrowAsync<ArgumentException>();

        failure.Which.Message.Should().Contain("SINKIDEMPOTENCY_CONNECT_URLS").And.Contain("SINKIDEMPOTENCY_TARGET").And.NotContain("SINKIDEMPOTENCY_BOOTSTRAP_SERVERS");
    }

    [Fact]
    public async Task GetEnvironmentOrSkipAsync_ConfiguredButUnreachable_FailsInsteadOfSkipping()
    {
        await using var fixture = new Fixture(new Dictionary<string, string>
        {
            [ExternalEnvironmentOptions.BootstrapServersVariable] = $"127.0.0.1:{ClosedPort()}",
            [ExternalEnvironmentOptions.ConnectUrlsVariable] = $"http://127.0.0.1:{ClosedPort()}",
            [ExternalEnvironmentOptions.TargetVariable] = $"Host=127.0.0.1;Port={ClosedPort()}",
        });

        var failure = await FluentActions.Awaiting(() => fixture.GetEnvironmentOrSkipAsync()).Should().ThrowAsync<EnvironmentStartException>();

        failure.Which.Message.Should().StartWith("The external environment could not start: ");
    }

    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }

    private sealed class Fixture(IReadOnlyDictionary<string, string> variables) : ExternalEnvironmentFixture
    {
        protected override IReadOnlyDictionary<string, string>? Variables => variables;

        protected override ExternalEnvironmentBuilder Configure(ExternalEnvironmentBuilder builder) => builder.WithReachabilityTimeout(TimeSpan.FromSeconds(2));
    }
}
