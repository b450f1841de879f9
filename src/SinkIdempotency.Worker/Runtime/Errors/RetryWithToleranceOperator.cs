using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>
/// Runs converter stages under <c>errors.retry.timeout</c> and <c>errors.tolerance</c>, and reports failures to the dead-letter
/// queue and the log (Connect's <c>RetryWithToleranceOperator</c>). Every exception of a converter stage is tolerable under
/// <c>errors.tolerance=all</c>; a <see cref="RetriableException"/> is first retried with exponential back-off.
/// </summary>
/// <remarks>
/// A retriable failure that outlives its retries is a failure like any other: it fails the task under <c>errors.tolerance=none</c>.
/// This is Connect's behaviour after KAFKA-18073; before that fix such records were dropped silently.
/// </remarks>
internal sealed class RetryWithToleranceOperator : RecordErrorHandler
{
    public const long RetriesDelayMinMs = 300;

    private readonly ConnectorTaskId _id;
    private readonly ErrorHandlingConfig _config;
    private readonly IReadOnlyList<IErrorReporter> _reporters;
    private readonly IReadOnlyDictionary<string, string> _stageClasses;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<TopicPartition, List<Task>> _pending = [];
    private readonly CancellationTokenSource _closing = new();
    private Exception? _toleranceExceeded;
    private long _totalFailures;

    public RetryWithToleranceOperator(
        ConnectorTaskId id,
        ErrorHandlingConfig config,
        IReadOnlyList<IErrorReporter> reporters,
        IReadOnlyDictionary<string, string> stageClasses,
        TimeProvider time,
        ILogger log)
    {
        _id = id;
        _config = config;
        _reporters = reporters;
        _stageClasses = stageClasses;
        _time = time;
        _log = log;
    }

    public long TotalFailures => Interlocked.Read(ref _totalFailures);

    public override bool TryExecute(string stage, ConsumedRecord record, Action operation)
    {
        var started = _time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                operation();
                return true;
            }
            catch (RetriableException e) when (CanRetry(started))
            {
                _log.LogTrace(e, "Caught a retriable exception while executing {Stage} operation with {Class}", stage, ClassOf(stage));
                Backoff(attempt, started);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _totalFailures);
                if (!_config.ToleranceAll)
                {
                    throw ToleranceExceeded.Create(stage, ClassOf(stage), record, e);
                }

                Report(new ErrorContext(_id, record, stage, ClassOf(stage), e));
                return false;
            }
        }
    }

    /// <summary>Reports a record the task failed to write (<c>executeFailed</c> for stage TASK_PUT); throws when that exceeds the tolerance.</summary>
    public Task ExecuteFailed(ConsumedRecord record, Exception error)
    {
        Interlocked.Increment(ref _totalFailures);
        var report = Report(new ErrorContext(_id, record, ErrorStage.TaskPut, ErrorStage.SinkTaskClass, error));
        if (!_config.ToleranceAll)
        {
            var exceeded = ToleranceExceeded.Create(ErrorStage.TaskPut, ErrorStage.SinkTaskClass, record, error);
            lock (_gate)
            {
                _toleranceExceeded ??= exceeded;
            }

            throw exceeded;
        }

        return report;
    }

    public override void AwaitReports(IEnumerable<TopicPartition> partitions)
    {
        var waiting = new List<Task>();
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                if (_pending.Remove(partition, out var tasks))
                {
                    waiting.AddRange(tasks);
                }
            }
        }

        if (waiting.Count == 0)
        {
            return;
        }

        try
        {
            Task.WaitAll([.. waiting]);
        }
        catch (AggregateException e)
        {
            throw new ConnectException("Encountered an error while awaiting an errant record future's completion.", e.InnerExceptions[0]);
        }
    }

    public override void ThrowIfToleranceExceeded()
    {
        Exception? exceeded;
        lock (_gate)
        {
            exceeded = _toleranceExceeded;
        }

        if (exceeded is not null)
        {
            throw exceeded;
        }
    }

    public override void Close()
    {
        _closing.Cancel();
        foreach (var reporter in _reporters)
        {
            try
            {
                reporter.Dispose();
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "{Task} Could not close an error reporter", _id);
            }
        }

        _closing.Dispose();
    }

    private Task Report(ErrorContext context)
    {
        if (_reporters.Count == 0)
        {
            return Task.CompletedTask;
        }

        var report = Task.WhenAll(_reporters.Select(r => r.ReportAsync(context)));
        if (!report.IsCompletedSuccessfully)
        {
            lock (_gate)
            {
                var partition = context.Original.TopicPartition;
                if (!_pending.TryGetValue(partition, out var tasks))
                {
                    _pending[partition] = tasks = [];
                }

                tasks.RemoveAll(t => t.IsCompletedSuccessfully);
                tasks.Add(report);
            }
        }

        return report;
    }

    private string ClassOf(string stage) => _stageClasses.TryGetValue(stage, out var name) ? name : ErrorStage.SinkTaskClass;

    private bool CanRetry(long started) =>
        _config.RetryTimeoutMs == -1 || _time.GetElapsedTime(started).TotalMilliseconds < _config.RetryTimeoutMs;

    private void Backoff(int attempt, long started)
    {
        var delay = attempt - 1 >= 40 ? long.MaxValue : RetriesDelayMinMs << (attempt - 1);
        if (delay > _config.RetryDelayMaxMs)
        {
            delay = _config.RetryDelayMaxMs <= 0 ? 0 : Random.Shared.NextInt64(_config.RetryDelayMaxMs);
        }

        if (_config.RetryTimeoutMs != -1)
        {
            var remaining = _config.RetryTimeoutMs - (long)_time.GetElapsedTime(started).TotalMilliseconds;
            delay = Math.Max(0, Math.Min(delay, remaining));
        }

        if (delay > 0)
        {
            // Waits on the closing signal, so a task being stopped is not held by a long back-off.
            _closing.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(delay));
        }
    }
}
