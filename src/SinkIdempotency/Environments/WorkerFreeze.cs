namespace SinkIdempotency.Environments;

/// <summary>Reports what an environment confirmed when it froze a worker.</summary>
/// <remarks>
/// A request the worker wrote to a socket just before it stopped can still reach the broker or the database and be
/// applied after the freeze. <see cref="Drained"/> says whether the environment saw every such byte read by its server
/// and the server's work on it finished, so that what is read next cannot move any more on the worker's account.
/// </remarks>
public sealed record WorkerFreeze
{
    /// <summary>Gets the frozen worker's id.</summary>
    /// <value>The id given to <see cref="ISinkEnvironment.FreezeWorkerAsync"/>.</value>
    public required string WorkerId { get; init; }

    /// <summary>Gets a value indicating whether the servers have read and handled everything the worker sent before it stopped.</summary>
    /// <value><see langword="false"/> when the environment cannot tell (for example containers on another host) or the check timed out.</value>
    public required bool Drained { get; init; }

    /// <summary>Gets a sentence saying what was checked, for the evidence.</summary>
    /// <value>For example <c>5 connections drained, 1 PostgreSQL session idle</c>.</value>
    public required string Detail { get; init; }

    /// <summary>Gets how long freezing and draining took.</summary>
    /// <value>Wall time from the stop signal until the method returned.</value>
    public TimeSpan Took { get; init; }
}
