using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

public sealed class ContainerFreezerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KillAsync_FrozenContainerOnAnEngineThatKillsPausedContainers_KillsWithoutUnpausing()
    {
        var engine = new FakeEngine();
        var freezer = new ContainerFreezer(engine);
        await freezer.FreezeAsync("c1", Token);

        var note = await freezer.KillAsync("c1", Token);

        note.Should().BeNull("the container died without running again");
        engine.Calls.Should().Equal("pause c1", "kill c1");
        freezer.Paused.Should().BeEmpty();
    }

    [Fact]
    public async Task KillAsync_FrozenContainerOnAnOldEngine_UnpausesKillsAndSaysItRanForAMoment()
    {
        var engine = new FakeEngine { RefusesPausedKill = true };
        var freezer = new ContainerFreezer(engine);
        await freezer.FreezeAsync("c1", Token);

        var note = await freezer.KillAsync("c1", Token);

        note.Should().Be("The Docker Engine refuses to kill a paused container (before 20.10), so it was unpaused and killed at once: it ran for that moment.");
        engine.Calls.Should().Equal("pause c1", "kill c1 refused", "unpause c1", "kill c1");
    }

    [Fact]
    public async Task ThawAsync_OnlyWhatItPaused_IsUnpausedOnce()
    {
        var engine = new FakeEngine();
        var freezer = new ContainerFreezer(engine);
        await freezer.FreezeAsync("c1", Token);
        await freezer.FreezeAsync("c1", Token);

        await freezer.ThawAsync("c1", Token);
        await freezer.ThawAsync("c1", Token);
        await freezer.ThawAsync("c2", Token);

        engine.Calls.Should().Equal("pause c1", "unpause c1");
    }

    [Fact]
    public async Task ThawAllAsync_ContainersLeftFrozen_AreAllUnpaused()
    {
        var engine = new FakeEngine();
        var freezer = new ContainerFreezer(engine);
        await freezer.FreezeAsync("c1", Token);
        await freezer.FreezeAsync("c2", Token);
        await freezer.KillAsync("c2", Token);

        await freezer.ThawAllAsync(Token);

        engine.Calls.Should().Equal("pause c1", "pause c2", "kill c2", "unpause c1");
        freezer.Paused.Should().BeEmpty();
    }

    private sealed class FakeEngine : IContainerSignals
    {
        private readonly HashSet<string> _paused = [];

        public bool RefusesPausedKill { get; init; }

        public List<string> Calls { get; } = [];

        public Task PauseAsync(string containerId, CancellationToken cancellationToken)
        {
            Calls.Add("pause " + containerId);
            _paused.Add(containerId);
            return Task.CompletedTask;
        }

        public Task UnpauseAsync(string containerId, CancellationToken cancellationToken)
        {
            Calls.Add("unpause " + containerId);
            _paused.Remove(containerId);
            return Task.CompletedTask;
        }

        public Task KillAsync(string containerId, CancellationToken cancellationToken)
        {
            if (RefusesPausedKill && _paused.Contains(containerId))
            {
                Calls.Add($"kill {containerId} refused");
                throw new PausedContainerException($"Container {containerId} is paused. Unpause the container before stopping or killing");
            }

            Calls.Add("kill " + containerId);
            return Task.CompletedTask;
        }
    }
}
