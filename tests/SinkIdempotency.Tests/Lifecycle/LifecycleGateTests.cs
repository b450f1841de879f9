using SinkIdempotency.Lifecycle;

namespace SinkIdempotency.Tests.Lifecycle;

/// <summary>Checks the one lifecycle guard of environments and local servers: start once, dispose once, roll back a failed start.</summary>
public sealed class LifecycleGateTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_Twice_SecondThrowsTheOwnersMessage()
    {
        var gate = new LifecycleGate("Already started; build another.");
        await gate.StartAsync(this, _ => Task.CompletedTask, null, Token);

        await FluentActions.Awaiting(() => gate.StartAsync(this, _ => Task.CompletedTask, null, Token))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("Already started; build another.");
    }

    [Fact]
    public async Task StartAsync_StartThrows_RollsBackOnceAndRethrows()
    {
        var gate = new LifecycleGate("started");
        var rollbacks = 0;

        await FluentActions.Awaiting(() => gate.StartAsync(this, _ => throw new IOException("disk full"), () => { rollbacks++; return Task.CompletedTask; }, Token))
            .Should().ThrowAsync<IOException>().WithMessage("disk full");

        rollbacks.Should().Be(1);
    }

    [Fact]
    public async Task StartAsync_AfterFailedStart_ThrowsUnlessRetryAllowed()
    {
        var once = new LifecycleGate("started");
        var retry = new LifecycleGate("started", retryAfterFailedStart: true);
        foreach (var gate in new[] { once, retry })
        {
            await FluentActions.Awaiting(() => gate.StartAsync(this, _ => throw new IOException("port taken"), null, Token)).Should().ThrowAsync<IOException>();
        }

        await FluentActions.Awaiting(() => once.StartAsync(this, _ => Task.CompletedTask, null, Token)).Should().ThrowAsync<InvalidOperationException>();
        await retry.StartAsync(this, _ => Task.CompletedTask, null, Token);
    }

    [Fact]
    public async Task DisposeAsync_Twice_StopsOnce()
    {
        var gate = new LifecycleGate("started");
        var stops = 0;

        await gate.DisposeAsync(() => { stops++; return Task.CompletedTask; });
        await gate.DisposeAsync(() => { stops++; return Task.CompletedTask; });

        stops.Should().Be(1);
        gate.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public async Task StartAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var gate = new LifecycleGate("started");
        await gate.DisposeAsync(() => Task.CompletedTask);

        await FluentActions.Awaiting(() => gate.StartAsync(this, _ => Task.CompletedTask, null, Token)).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task DisposeAsync_DuringStart_StopsOnlyAfterTheStartFinished()
    {
        var gate = new LifecycleGate("started");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();
        var start = gate.StartAsync(this, async _ => { await release.Task; order.Add("started"); }, null, Token);

        var dispose = gate.DisposeAsync(() => { order.Add("stopped"); return Task.CompletedTask; }).AsTask();
        dispose.IsCompleted.Should().BeFalse();
        release.SetResult();
        await start;
        await dispose;

        order.Should().Equal("started", "stopped");
    }
}
