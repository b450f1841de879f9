using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Converters;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>
/// Drives one <see cref="SinkTask"/> as Kafka Connect's <c>WorkerSinkTask</c> does: subscribe, start, then loop
/// (maybe commit, poll, convert, put) until stopped, with a final preCommit/close/commitSync of all partitions on exit.
/// </summary>
/// <remarks>Runs on its own thread; the sink's async methods are awaited synchronously because rebalance callbacks are synchronous.</remarks>
internal sealed partial class WorkerSinkTask
{
    private readonly SinkTask _task;
    private readonly IReadOnlyDictionary<string, string> _taskConfig;
    private readonly IReadOnlyList<string> _topics;
    private readonly string? _topicsRegex;
    private readonly IRecordConverter _keyConverter;
    private readonly IRecordConverter _valueConverter;
    private readonly ISinkConsumer _consumer;
    private readonly ITaskStatusListener _statusListener;
    private readonly WorkerSinkTaskSettings _settings;
    private readonly RecordErrorHandler _errorHandler;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly WorkerSinkTaskContext _context;
    private readonly Lock _stateLock = new();
    private readonly ManualResetEventSlim _stopped = new(false);
    private readonly List<InternalSinkRecord> _messageBatch = [];
    private readonly Dictionary<TopicPartition, long> _currentOffsets = [];
    private readonly Dictionary<TopicPartition, long> _origOffsets = [];
    private readonly Dictionary<TopicPartition, long> _lastCommittedOffsets = [];
    private volatile bool _stopping;
    private volatile bool _cancelled;
    private volatile bool _stateChanged;
    private TargetState _targetState;
    private bool _pausedByTargetState;
    private bool _pausedForRedelivery;
    private bool _taskStopped;
    private Exception? _rebalanceException;

    public WorkerSinkTask(
        ConnectorTaskId id,
        SinkTask task,
        IReadOnlyDictionary<string, string> taskConfig,
        IRecordConverter keyConverter,
        IRecordConverter valueConverter,
        ISinkConsumer consumer,
        ITaskStatusListener statusListener,
        TargetState initialState,
        WorkerSinkTaskSettings settings,
        TimeProvider time,
        ILogger log,
        RecordErrorHandler? errorHandler = null,
        IErrantRecordReporter? errantRecordReporter = null)
    {
        Id = id;
        _task = task;
        _taskConfig = taskConfig;
        _topics = taskConfig.TryGetValue("topics", out var topics)
            ? topics.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
        _topicsRegex = taskConfig.TryGetValue("topics.regex", out var regex) && !string.IsNullOrWhiteSpace(regex) ? regex.Trim() : null;
        _keyConverter = keyConverter;
        _valueConverter = valueConverter;
        _consumer = consumer;
        _statusListener = statusListener;
        _targetState = initialState;
        _settings = settings;
        _time = time;
        _log = log;
        _errorHandler = errorHandler ?? new RecordErrorHandler();
        _context = new WorkerSinkTaskContext(taskConfig, () => _consumer.Assignment, errantRecordReporter);
        _context.PauseChanged += OnTaskPauseChanged;
    }

    public ConnectorTaskId Id { get; }

    /// <summary>Gets the number of commits that failed in a row (Connect's <c>commitFailures</c>).</summary>
    public int CommitFailures { get; private set; }

    public bool IsStopping => _stopping;

    /// <summary>Runs the task to completion; returns after the task stopped, failed or was cancelled.</summary>
    public void Run()
    {
        Exception? failure = null;
        try
        {
            DoRun();
        }
        catch (Exception e)
        {
            failure = e;
        }

        try
        {
            if (failure is null)
            {
                if (!_cancelled)
                {
                    _statusListener.OnShutdown(Id);
                }
            }
            else if (!_cancelled && !_stopping)
            {
                _statusListener.OnFailure(Id, failure);
            }
        }
        finally
        {
            _stopped.Set();
        }
    }

    /// <summary>Asks the task to stop; the final commit happens on the task thread.</summary>
    public void Stop()
    {
        _stopping = true;
        _stateChanged = true;
    }

    /// <summary>Marks the task cancelled: it reports nothing more and skips its final commit (Connect's <c>cancel()</c>).</summary>
    public void Cancel()
    {
        _cancelled = true;
        Stop();
    }

    public bool AwaitStop(TimeSpan timeout) => _stopped.Wait(timeout);

    public void TransitionTo(TargetState state)
    {
        lock (_stateLock)
        {
            if (_targetState == state)
            {
                return;
            }

            _targetState = state;
        }

        _stateChanged = true;
    }

    private bool ShouldPause()
    {
        lock (_stateLock)
        {
            return _targetState == TargetState.Paused;
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void DoRun()
    {
        try
        {
            if (_stopping)
            {
                return;
            }

            if (ShouldPause())
            {
                _statusListener.OnPause(Id);
                while (ShouldPause() && !_stopping)
                {
                    _stopped.Wait(TimeSpan.FromMilliseconds(50));
                }

                if (_stopping)
                {
                    return;
                }
            }

            InitializeAndStart();
            _statusListener.OnStartup(Id);
            Execute();
        }
        catch (Exception e)
        {
            if (_cancelled)
            {
                _log.LogWarning(e, "{Task} After being scheduled for shutdown, the orphan task threw an uncaught exception. A newer instance of this task might be already running", Id);
            }
            else if (_stopping)
            {
                _log.LogWarning(e, "{Task} After being scheduled for shutdown, task threw an uncaught exception.", Id);
            }
            else
            {
                _log.LogError(e, "{Task} Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted", Id);
            }

            throw;
        }
        finally
        {
            DoClose();
        }
    }

    private void InitializeAndStart()
    {
        if (_topics.Count == 0 && _topicsRegex is null)
        {
            throw new ConfigException("Must configure one of topics or topics.regex");
        }

        _consumer.Subscribe(_topics, _topicsRegex, new HandleRebalance(this));
        _task.Initialize(_context);
        _task.StartAsync(_taskConfig, CancellationToken.None).GetAwaiter().GetResult();
        _log.LogInformation("{Task} Sink task finished initialization and start", Id);
    }

    private void Execute()
    {
        _nextCommit = Now() + _settings.OffsetFlushIntervalMs;
        Exception? loopFailure = null;
        try
        {
            while (!_stopping)
            {
                Iteration();
            }
        }
        catch (Exception e)
        {
            loopFailure = e;
        }

        try
        {
            CloseAllPartitions();
        }
        catch (Exception e) when (loopFailure is not null)
        {
            _log.LogWarning(e, "{Task} Closing partitions after a failure also failed", Id);
        }

        if (loopFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(loopFailure).Throw();
        }
    }

    private void Iteration()
    {
        var now = Now();
        if (!_committing && (_context.IsCommitRequested || now >= _nextCommit))
        {
            CommitOffsets(now, closing: false, partitions: null);
            _nextCommit = now + _settings.OffsetFlushIntervalMs;
            _context.ClearCommitRequest();
        }

        if (_committing && now >= _commitStarted + _settings.OffsetFlushTimeoutMs)
        {
            _log.LogWarning("{Task} Commit of offsets timed out", Id);
            CommitFailures++;
            _committing = false;
        }

        Poll(Math.Max(_nextCommit - now, 0));
    }

    private void Poll(long timeoutMs)
    {
        HandleTargetStateChange();
        Rewind();
        var retryTimeout = _context.TimeoutMs;
        if (retryTimeout > 0)
        {
            timeoutMs = Math.Min(timeoutMs, retryTimeout);
            _context.ClearTimeout();
        }

        var records = _consumer.Poll(TimeSpan.FromMilliseconds(timeoutMs), _settings.MaxPollRecords, () => _stateChanged || _commitCompletions.Count > 0);
        DrainCommitCompletions();
        if (_rebalanceException is { } rebalanceFailure)
        {
            _rebalanceException = null;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(rebalanceFailure).Throw();
        }

        if (_stopping)
        {
            return;
        }

        ConvertMessages(records);
        DeliverMessages();
    }

    private void HandleTargetStateChange()
    {
        if (!_stateChanged)
        {
            return;
        }

        _stateChanged = false;
        if (_stopping)
        {
            return;
        }

        if (ShouldPause())
        {
            if (!_pausedByTargetState)
            {
                _pausedByTargetState = true;
                PauseAll();
                _statusListener.OnPause(Id);
                _context.RequestCommit();
            }
        }
        else if (_pausedByTargetState)
        {
            _pausedByTargetState = false;
            if (!_pausedForRedelivery)
            {
                ResumeAll();
            }

            _statusListener.OnResume(Id);
        }
    }

    private void ConvertMessages(IReadOnlyList<ConsumedRecord> records)
    {
        foreach (var record in records)
        {
            _origOffsets[record.TopicPartition] = record.Offset + 1;
            (ConnectSchema? Schema, System.Text.Json.Nodes.JsonNode? Value) key = default;
            (ConnectSchema? Schema, System.Text.Json.Nodes.JsonNode? Value) value = default;
            if (!_errorHandler.TryExecute("KEY_CONVERTER", record, () => key = _keyConverter.ToConnectData(record.Topic, record.Key))
                || !_errorHandler.TryExecute("VALUE_CONVERTER", record, () => value = _valueConverter.ToConnectData(record.Topic, record.Value)))
            {
                continue;
            }

            _messageBatch.Add(new InternalSinkRecord(record, key.Schema, key.Value, value.Schema, value.Value));
        }
    }

    private void DeliverMessages()
    {
        try
        {
            _task.PutAsync([.. _messageBatch], CancellationToken.None).GetAwaiter().GetResult();
            _errorHandler.ThrowIfToleranceExceeded();
            foreach (var (partition, offset) in _origOffsets)
            {
                _currentOffsets[partition] = offset;
            }

            _origOffsets.Clear();
            _messageBatch.Clear();
            if (_pausedForRedelivery)
            {
                if (!ShouldPause())
                {
                    ResumeAll();
                }

                _pausedForRedelivery = false;
            }
        }
        catch (RetriableException e)
        {
            _log.LogError(e, "{Task} RetriableException from SinkTask:", Id);
            if (!_pausedForRedelivery)
            {
                _pausedForRedelivery = true;
                PauseAll();
            }
        }
        catch (Exception e)
        {
            _log.LogError(e, "{Task} Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted. Error: {Message}", Id, e.Message);
            throw new ConnectException("Exiting WorkerSinkTask due to unrecoverable exception.", e);
        }
    }

    private void PauseAll() => _consumer.Pause(_consumer.Assignment);

    private void ResumeAll()
    {
        var paused = _context.PausedPartitions;
        _consumer.Resume(_consumer.Assignment.Where(p => !paused.Contains(p)).ToList());
    }

    private void OnTaskPauseChanged(IReadOnlyCollection<TopicPartition> partitions, bool paused)
    {
        if (paused)
        {
            _consumer.Pause(partitions);
        }
        else if (!_pausedForRedelivery && !ShouldPause())
        {
            _consumer.Resume(partitions);
        }
    }

    private void Rewind()
    {
        var offsets = _context.TakeOffsets();
        foreach (var (partition, offset) in offsets)
        {
            _log.LogTrace("{Task} Rewind {Partition} to offset {Offset}", Id, partition, offset);
            _consumer.Seek(partition, offset);
            _lastCommittedOffsets[partition] = offset;
            _currentOffsets[partition] = offset;
        }
    }

    private void DoClose()
    {
        _taskStopped = true;
        try
        {
            _task.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "{Task} Could not stop task", Id);
        }

        try
        {
            AwaitInFlightCommits();
            _consumer.Close();
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "{Task} Could not close consumer", Id);
        }
        finally
        {
            _consumer.Dispose();
            _errorHandler.Close();
        }
    }
}
