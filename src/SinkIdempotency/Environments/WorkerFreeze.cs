namespace SinkIdempotency.Environments;

/// <summary>Reports what an environment confirmed when it froze a worker.</summary>
/// <remarks>
/// A request the worker wrote to a socket just before it stopped can still reach the broker or the database and be
/// applied after the freeze. <see cref="Drained"/> says whether the environment saw every such byte read by the servers
/// it was asked to wait for, and their work on it finished, so that what is read next cannot move any more on the
/// worker's account.
/// </remarks>
public sealed record WorkerFreeze
{
    /// <summary>Gets the frozen worker's id.</summary>
    /// <value>The id given to <see cref="ISinkEnvironment.FreezeWorkerAsync"/>.</value>
    public required string WorkerId { get; init; }

    /// <summary>Gets a value indicating whether the servers waited for have read and handled everything the worker sent before it stopped.</summary>
    /// <value>
    /// <see langword="true"/> when confirmed; <see langword="false"/> when the environment could tell and the servers had
    /// not finished in time (what is read next may still move); <see langword="null"/> when it cannot tell (for example
    /// containers whose sockets the host does not see).
    /// </value>
    public required bool? Drained { get; init; }

    /// <summary>Gets a sentence saying what was checked, for the evidence.</summary>
    /// <value>For example <c>5 connections drained, 1 PostgreSQL session idle</c>.</value>
    public required string Detail { get; init; }

    /// <summary>Gets how long freezing and draining took.</summary>
    /// <value>Wall time from the stop signal until the method returned.</value>
    public TimeSpan Took { get; init; }
}
