using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>The framework side of <see cref="ISinkTaskContext"/> (Connect's <c>WorkerSinkTaskContext</c>).</summary>
internal sealed class WorkerSinkTaskContext(
    IReadOnlyDictionary<string, string> configs,
    Func<IReadOnlyCollection<TopicPartition>> assignment,
    IErrantRecordReporter? errantRecordReporter) : ISinkTaskContext
{
    private readonly Dictionary<TopicPartition, long> _offsets = [];
    private readonly HashSet<TopicPartition> _pausedPartitions = [];
    private long _timeoutMs = -1;

    /// <summary>Raised when the task pauses or resumes partitions, so the runtime applies it to the consumer.</summary>
    public event Action<IReadOnlyCollection<TopicPartition>, bool>? PauseChanged;

    public IReadOnlyDictionary<string, string> Configs { get; } = configs;

    public IReadOnlyCollection<TopicPartition> Assignment => assignment();

    public IErrantRecordReporter? ErrantRecordReporter { get; } = errantRecordReporter;

    public bool IsCommitRequested { get; private set; }

    public IReadOnlyCollection<TopicPartition> PausedPartitions => _pausedPartitions;

    public long TimeoutMs => _timeoutMs;

    public void Offset(TopicPartition partition, long offset) => _offsets[partition] = offset;

    public void Timeout(TimeSpan timeout) => _timeoutMs = (long)timeout.TotalMilliseconds;

    public void ClearTimeout() => _timeoutMs = -1;

    public void Pause(params TopicPartition[] partitions)
    {
        var assigned = Assignment;
        foreach (var partition in partitions)
        {
            if (!assigned.Contains(partition))
            {
                throw new InvalidOperationException($"SinkTasks may not pause partitions that are not currently assigned to them: {partition}.");
            }

            _pausedPartitions.Add(partition);
        }

        PauseChanged?.Invoke(partitions, true);
    }

    public void Resume(params TopicPartition[] partitions)
    {
        var assigned = Assignment;
        foreach (var partition in partitions)
        {
            if (!assigned.Contains(partition))
            {
                throw new InvalidOperationException($"SinkTasks may not resume partitions that are not currently assigned to them: {partition}.");
            }

            _pausedPartitions.Remove(partition);
        }

        PauseChanged?.Invoke(partitions, false);
    }

    public void RequestCommit() => IsCommitRequested = true;

    public void ClearCommitRequest() => IsCommitRequested = false;

    public IReadOnlyDictionary<TopicPartition, long> TakeOffsets()
    {
        if (_offsets.Count == 0)
        {
            return new Dictionary<TopicPartition, long>();
        }

        var copy = new Dictionary<TopicPartition, long>(_offsets);
        _offsets.Clear();
        return copy;
    }
}
