using SinkIdempotency.Environments;

namespace SinkIdempotency.Tests.Environments;

public sealed class EnvironmentStartExceptionTests
{
    [Fact]
    public async Task StartOrStopAllAsync_StartSucceeds_StopsNothing()
    {
        var stops = 0;

        await EnvironmentStartException.StartOrStopAllAsync("test", _ => Task.CompletedTask, () => { stops++; return Task.CompletedTask; }, CancellationToken.None);

        stops.Should().Be(0);
    }

    [Fact]
    public async Task StartOrStopAllAsync_PlainFailure_StopsAndWrapsNamingTheEnvironment()
    {
        var stops = 0;

        var act = () => EnvironmentStartException.StartOrStopAllAsync("test", _ => throw new IOException("disk full"), () => { stops++; return Task.CompletedTask; }, CancellationToken.None);

        var thrown = await act.Should().ThrowAsync<EnvironmentStartException>();
        thrown.Which.Message.Should().Be("The test environment could not start: start failed: disk full");
        thrown.Which.InnerException.Should().BeOfType<IOException>();
        stops.Should().Be(1);
    }

    [Fact]
    public async Task StartOrStopAllAsync_PartFailure_StopsAndKeepsThePartsMessage()
    {
        var stops = 0;
        var part = new EnvironmentStartException("test", "PostgreSQL", new InvalidOperationException("initdb failed"));

        var act = () => EnvironmentStartException.StartOrStopAllAsync("test", _ => throw part, () => { stops++; return Task.CompletedTask; }, CancellationToken.None);

        (await act.Should().ThrowAsync<EnvironmentStartException>()).Which.Should().BeSameAs(part);
        stops.Should().Be(1);
    }

    [Fact]
    public async Task StartOrStopAllAsync_Cancelled_StopsAndRethrowsTheCancellation()
    {
        using var cancel = new CancellationTokenSource();
        var stops = 0;

        var act = () => EnvironmentStartException.StartOrStopAllAsync(
            "test",
            async ct => { await cancel.CancelAsync(); ct.ThrowIfCancellationRequested(); },
            () => { stops++; return Task.CompletedTask; },
            cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        stops.Should().Be(1);
    }
}
