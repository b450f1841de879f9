namespace SinkIdempotency.Testcontainers;

/// <summary>Freezes worker containers with <c>docker pause</c>, thaws them, and kills a frozen one without letting it run again where the engine allows.</summary>
/// <remarks>
/// <c>docker pause</c> uses the cgroup freezer: every process of the container stops, unaware. Docker Engine 20.10 and
/// later kill a paused container by sending the signal and then thawing it, so SIGKILL is taken before any code of the
/// container runs again; older engines refuse (HTTP 409). Then the container is unpaused and killed at once, and the
/// kill's report says that it ran for that moment. The freezer remembers which containers it paused, so nothing it froze
/// stays frozen when the environment goes away.
/// </remarks>
internal sealed class ContainerFreezer(IContainerSignals signals)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _paused = new(StringComparer.Ordinal);

    /// <summary>Gets the containers paused now.</summary>
    public IReadOnlyCollection<string> Paused
    {
        get
        {
            lock (_gate)
            {
                return [.. _paused];
            }
        }
    }

    /// <summary>Pauses a container; pausing a paused one does nothing.</summary>
    public async Task FreezeAsync(string containerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_paused.Contains(containerId))
            {
                return;
            }
        }

        await signals.PauseAsync(containerId, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _paused.Add(containerId);
        }
    }

    /// <summary>Unpauses a container this freezer paused; any other container is left alone.</summary>
    public async Task ThawAsync(string containerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_paused.Remove(containerId))
            {
                return;
            }
        }

        await signals.UnpauseAsync(containerId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills a container, frozen or not.</summary>
    /// <returns><see langword="null"/> when a frozen container died without running again; otherwise a sentence saying it ran for a moment before the kill.</returns>
    public async Task<string?> KillAsync(string containerId, CancellationToken cancellationToken)
    {
        bool frozen;
        lock (_gate)
        {
            frozen = _paused.Remove(containerId);
        }

        try
        {
            await signals.KillAsync(containerId, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (PausedContainerException) when (frozen)
        {
            await signals.UnpauseAsync(containerId, cancellationToken).ConfigureAwait(false);
            await signals.KillAsync(containerId, cancellationToken).ConfigureAwait(false);
            return "The Docker Engine refuses to kill a paused container (before 20.10), so it was unpaused and killed at once: it ran for that moment.";
        }
    }

    /// <summary>Unpauses every container this freezer paused.</summary>
    public async Task ThawAllAsync(CancellationToken cancellationToken)
    {
        foreach (var containerId in Paused)
        {
            await ThawAsync(containerId, cancellationToken).ConfigureAwait(false);
        }
    }
}
