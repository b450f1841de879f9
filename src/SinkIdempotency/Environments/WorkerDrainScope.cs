namespace SinkIdempotency.Environments;

/// <summary>Says which servers a freeze waits for: those whose handling of requests the worker already sent could change what is read next.</summary>
/// <remarks>
/// A crash window is closed by one side only: rows ahead of the committed offsets by an offset commit (the broker),
/// records committed ahead of the target by a database commit (the target). The other side only widens it, but a read
/// taken before that side has landed what the worker sent finds shut a window that is open, so the crash faults wait
/// for <see cref="All"/>.
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
