namespace SinkIdempotency.Environments;

/// <summary>Says which servers a freeze waits for: those whose handling of requests the worker already sent could change what is read next.</summary>
/// <remarks>
/// A crash window is closed by one side only. Rows ahead of the committed offsets are closed by an offset commit, so the
/// broker matters and a database write still in flight only widens the window; records committed ahead of the target
/// are closed by a database commit, so the target matters. Waiting only for the side that can close the window keeps
/// freezes short when the other side is slow.
/// </remarks>
[Flags]
public enum WorkerDrainScope
{
    /// <summary>Waits for no server: the freeze returns once the worker is stopped.</summary>
    None = 0,

    /// <summary>Waits until the Kafka brokers have handled what the worker sent them (offset commits).</summary>
    Broker = 1,

    /// <summary>Waits until the target has handled what the worker sent it (writes and commits).</summary>
    Target = 2,

    /// <summary>Waits for both.</summary>
    All = Broker | Target,
}
