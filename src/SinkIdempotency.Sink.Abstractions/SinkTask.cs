namespace SinkIdempotency.Sink;

/// <summary>
/// Writes records to a target, driven by the worker exactly as Kafka Connect drives a <c>SinkTask</c>:
/// <see cref="Initialize"/>, <see cref="StartAsync"/>, <see cref="OpenAsync"/> on assignment, <see cref="PutAsync"/> per batch,
/// <see cref="PreCommitAsync"/> before each offset commit, <see cref="CloseAsync"/> on revocation, and <see cref="StopAsync"/>.
/// </summary>
/// <remarks>All methods of one task are called from one worker thread, never concurrently.</remarks>
public abstract class SinkTask
{
    private ISinkTaskContext? _context;

    /// <summary>Gets the version of the task.</summary>
    /// <value>Defaults to empty.</value>
    public virtual string Version => "";

    /// <summary>Gets the context given by <see cref="Initialize"/>.</summary>
    /// <exception cref="InvalidOperationException">The task was not initialized.</exception>
    protected ISinkTaskContext Context => _context ?? throw new InvalidOperationException("The task was not initialized; the worker calls Initialize before StartAsync.");

    /// <summary>Gives the task its context; called once before <see cref="StartAsync"/>.</summary>
    /// <param name="context">The context.</param>
    public virtual void Initialize(ISinkTaskContext context) => _context = context;

    /// <summary>Starts the task with its configuration.</summary>
    /// <param name="config">The task configuration.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when started.</returns>
    public abstract Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken);

    /// <summary>Opens writers for newly assigned partitions; called before any record of them is put.</summary>
    /// <param name="partitions">The partitions assigned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the partitions are open.</returns>
    public virtual Task OpenAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Writes a batch (possibly empty). Throw <see cref="RetriableException"/> to have the same batch delivered again after
    /// <see cref="ISinkTaskContext.Timeout"/>; any other exception fails the task.
    /// </summary>
    /// <param name="records">The records, in offset order per partition.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the batch is handled.</returns>
    public abstract Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken);

    /// <summary>Makes every record put so far durable; the default does nothing.</summary>
    /// <param name="currentOffsets">The next offset to consume per partition.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when flushed.</returns>
    public virtual Task FlushAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Returns the offsets the worker may commit (the next offset to consume per partition); the default flushes and returns
    /// <paramref name="currentOffsets"/>. Return an empty map to opt out of this commit.
    /// </summary>
    /// <param name="currentOffsets">The next offset to consume per partition, for the partitions being committed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The offsets to commit.</returns>
    public virtual async Task<IReadOnlyDictionary<TopicPartition, long>> PreCommitAsync(
        IReadOnlyDictionary<TopicPartition, long> currentOffsets,
        CancellationToken cancellationToken)
    {
        await FlushAsync(currentOffsets, cancellationToken).ConfigureAwait(false);
        return currentOffsets;
    }

    /// <summary>Closes writers of partitions taken away (after their final <see cref="PreCommitAsync"/>, before their commit).</summary>
    /// <param name="partitions">The partitions revoked or lost.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when closed.</returns>
    public virtual Task CloseAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops the task and releases its resources.</summary>
    /// <param name="cancellationToken">Cancels the stop.</param>
    /// <returns>A task that completes when stopped.</returns>
    public abstract Task StopAsync(CancellationToken cancellationToken);
}
