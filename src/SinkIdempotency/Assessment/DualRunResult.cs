using SinkIdempotency.Workload;

namespace SinkIdempotency.Assessment;

/// <summary>Holds what a rollback dual run measured: both paths side by side, the log end when they were compared and at the end, and how the legacy path was stopped.</summary>
/// <param name="Topic">The topic both connectors consumed.</param>
/// <param name="Legacy">The legacy path.</param>
/// <param name="New">The new path.</param>
public sealed record DualRunResult(string Topic, DualRunPath Legacy, DualRunPath New)
{
    /// <summary>Gets the number of records produced before the legacy path was stopped.</summary>
    /// <value>The default is 0.</value>
    public long ProducedBeforeStop { get; init; }

    /// <summary>Gets the number of records produced after the legacy path was stopped.</summary>
    /// <value>The default is 0.</value>
    public long ProducedAfterStop { get; init; }

    /// <summary>Gets the log-end offsets when both groups were compared.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<SourcePartition, long> EndAtAlignment { get; init; } = new Dictionary<SourcePartition, long>();

    /// <summary>Gets the log-end offsets at the end of the run.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<SourcePartition, long> EndAtEnd { get; init; } = new Dictionary<SourcePartition, long>();

    /// <summary>Gets how long the run waited for both groups to reach the log end (and, after the stop, the new group).</summary>
    /// <value>The default is zero.</value>
    public TimeSpan Timeout { get; init; }

    /// <summary>Gets how the legacy path was stopped: <c>stop</c> (Connect's <c>PUT /connectors/{name}/stop</c>, configuration and offsets kept) or <c>delete</c> (offsets kept in its group).</summary>
    /// <value>The default is <see langword="null"/>: the run did not get that far.</value>
    public string? StoppedWith { get; init; }

    /// <summary>Gets why the run could not measure, or <see langword="null"/> when it measured; the rollback row is then not assessed with this reason.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Error { get; init; }

    /// <summary>Gets what could not be removed at the end (a connector, the topic, a table), each with its reason.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> CleanupErrors { get; init; } = [];
}
