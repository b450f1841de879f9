using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>Offset commits: preCommit, filtering of task-provided offsets, async commits matched by sequence number, sync commits on close.</summary>
internal sealed partial class WorkerSinkTask
{
    private readonly ConcurrentQueue<(int Seqno, Exception? Error, IReadOnlyDictionary<TopicPartition, long> Offsets)> _commitCompletions = new();
    private readonly List<Task> _inFlightCommits = [];
    private long _nextCommit;
    private bool _committing;
    private int _commitSeqno;
    private long _commitStarted;

    private void CloseAllPartitions() => ClosePartitions([.. _currentOffsets.Keys], lost: false);

    private void ClosePartitions(IReadOnlyCollection<TopicPartition> partitions, bool lost)
    {
        if (!lost)
        {
            CommitOffsets(Now(), closing: true, partitions);
        }
        else
        {
            _log.LogTrace("{Task} Closing the task as partitions have been lost: {Partitions}", Id, partitions);
            _task.CloseAsync(partitions, CancellationToken.None).GetAwaiter().GetResult();
        }

        foreach (var partition in partitions)
        {
            _currentOffsets.Remove(partition);
            _origOffsets.Remove(partition);
            _lastCommittedOffsets.Remove(partition);
        }
    }

    private void CommitOffsets(long now, bool closing, IReadOnlyCollection<TopicPartition>? partitions)
    {
        partitions ??= [.. _currentOffsets.Keys];
        _errorHandler.AwaitReports(partitions);
        var offsetsToCommit = _currentOffsets.Where(e => partitions.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value);
        if (offsetsToCommit.Count == 0)
        {
            return;
        }

        _committing = true;
        _commitSeqno++;
        _commitStarted = now;
        var seqno = _commitSeqno;
        var lastCommittedForPartitions = _lastCommittedOffsets.Where(e => partitions.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value);

        IReadOnlyDictionary<TopicPartition, long> taskProvided;
        try
        {
            _log.LogTrace("{Task} Calling task.preCommit with current offsets: {Offsets}", Id, offsetsToCommit);
            taskProvided = _task.PreCommitAsync(new Dictionary<TopicPartition, long>(offsetsToCommit), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            if (closing)
            {
                _log.LogWarning(e, "{Task} Offset commit failed during close", Id);
            }
            else
            {
                _log.LogError(e, "{Task} Offset commit failed, rewinding to last committed offsets", Id);
                foreach (var (partition, offset) in lastCommittedForPartitions)
                {
                    _log.LogDebug("{Task} Rewinding topic partition {Partition} to offset {Offset}", Id, partition, offset);
                    _consumer.Seek(partition, offset);
                    _currentOffsets[partition] = offset;
                }
            }

            OnCommitCompleted(e, seqno, null);
            return;
        }
        finally
        {
            if (closing)
            {
                _log.LogTrace("{Task} Closing the task before committing the offsets: {Offsets}", Id, offsetsToCommit);
                _task.CloseAsync(partitions, CancellationToken.None).GetAwaiter().GetResult();
            }
        }

        if (taskProvided.Count == 0)
        {
            _log.LogDebug("{Task} Skipping offset commit, task opted-out by returning no offsets from preCommit", Id);
            OnCommitCompleted(null, seqno, null);
            return;
        }

        var assigned = _consumer.Assignment;
        var committable = new Dictionary<TopicPartition, long>(lastCommittedForPartitions);
        foreach (var (partition, taskOffset) in taskProvided)
        {
            if (committable.ContainsKey(partition))
            {
                var current = _currentOffsets.TryGetValue(partition, out var c) ? c : long.MinValue;
                if (taskOffset <= current)
                {
                    committable[partition] = taskOffset;
                }
                else
                {
                    _log.LogWarning("{Task} Ignoring invalid task provided offset {Partition}/{Offset} -- not yet consumed, taskOffset={TaskOffset} currentOffset={Current}", Id, partition, taskOffset, taskOffset, current);
                }
            }
            else if (!assigned.Contains(partition))
            {
                _log.LogWarning("{Task} Ignoring invalid task provided offset {Partition}/{Offset} -- partition not assigned, assignment={Assignment}", Id, partition, taskOffset, assigned);
            }
            else
            {
                _log.LogDebug("{Task} Ignoring task provided offset {Partition}/{Offset} -- topic partition not requested, requested={Requested}", Id, partition, taskOffset, partitions);
            }
        }

        if (committable.Count == lastCommittedForPartitions.Count && committable.All(e => lastCommittedForPartitions.TryGetValue(e.Key, out var last) && last == e.Value))
        {
            _log.LogDebug("{Task} Skipping offset commit, no change since last commit", Id);
            OnCommitCompleted(null, seqno, null);
            return;
        }

        DoCommit(committable, closing, seqno);
    }

    private void DoCommit(Dictionary<TopicPartition, long> offsets, bool closing, int seqno)
    {
        if (_cancelled)
        {
            _log.LogDebug("{Task} Skipping final offset commit as task has been cancelled", Id);
            return;
        }

        if (closing)
        {
            try
            {
                _log.LogDebug("{Task} Committing offsets synchronously using sequence number {Seqno}: {Offsets}", Id, seqno, offsets);
                _consumer.CommitSync(offsets);
                OnCommitCompleted(null, seqno, offsets);
            }
            catch (Exception e)
            {
                OnCommitCompleted(e, seqno, offsets);
            }

            return;
        }

        _log.LogDebug("{Task} Committing offsets asynchronously using sequence number {Seqno}: {Offsets}", Id, seqno, offsets);
        var commit = _consumer.CommitAsync(offsets);
        lock (_inFlightCommits)
        {
            _inFlightCommits.Add(commit);
        }

        _ = commit.ContinueWith(
            t =>
            {
                lock (_inFlightCommits)
                {
                    _inFlightCommits.Remove(t);
                }

                _commitCompletions.Enqueue((seqno, t.Exception?.GetBaseException(), offsets));
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void DrainCommitCompletions()
    {
        while (_commitCompletions.TryDequeue(out var completion))
        {
            OnCommitCompleted(completion.Error, completion.Seqno, completion.Offsets);
        }
    }

    private void AwaitInFlightCommits()
    {
        Task[] pending;
        lock (_inFlightCommits)
        {
            pending = [.. _inFlightCommits];
        }

        try
        {
            Task.WaitAll(pending, TimeSpan.FromMilliseconds(_settings.OffsetFlushTimeoutMs));
        }
        catch (AggregateException)
        {
        }

        DrainCommitCompletions();
    }

    private void OnCommitCompleted(Exception? error, int seqno, IReadOnlyDictionary<TopicPartition, long>? committedOffsets)
    {
        if (_commitSeqno != seqno)
        {
            _log.LogDebug("{Task} Received out of order commit callback for sequence number {Seqno}, but most recent sequence number is {Current}", Id, seqno, _commitSeqno);
            return;
        }

        if (error is not null)
        {
            _log.LogError(error, "{Task} Commit of offsets threw an unexpected exception for sequence number {Seqno}: {Offsets}", Id, seqno, committedOffsets);
            CommitFailures++;
        }
        else
        {
            _log.LogDebug("{Task} Finished offset commit successfully for sequence number {Seqno}: {Offsets}", Id, seqno, committedOffsets);
            if (committedOffsets is not null)
            {
                foreach (var (partition, offset) in committedOffsets)
                {
                    if (_lastCommittedOffsets.ContainsKey(partition) || _currentOffsets.ContainsKey(partition))
                    {
                        _lastCommittedOffsets[partition] = offset;
                    }
                }
            }

            CommitFailures = 0;
        }

        _committing = false;
    }
}
