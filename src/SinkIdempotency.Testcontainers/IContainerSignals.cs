namespace SinkIdempotency.Testcontainers;

/// <summary>Pauses, unpauses and kills containers by id: the three Docker Engine calls <see cref="ContainerFreezer"/> needs.</summary>
internal interface IContainerSignals
{
    /// <summary>Freezes every process of a container (<c>docker pause</c>, the cgroup freezer).</summary>
    Task PauseAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Thaws a paused container (<c>docker unpause</c>).</summary>
    Task UnpauseAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Sends SIGKILL to a container (<c>docker kill</c>).</summary>
    /// <exception cref="PausedContainerException">The engine refuses to signal a paused container (engines before 20.10).</exception>
    Task KillAsync(string containerId, CancellationToken cancellationToken);
}
