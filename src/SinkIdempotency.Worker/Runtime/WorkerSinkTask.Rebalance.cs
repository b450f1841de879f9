using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>Rebalance handling (Connect's <c>HandleRebalance</c>): open on assignment, preCommit/close/commitSync on revocation, close only when lost.</summary>
internal sealed partial class WorkerSinkTask
{
    private sealed class HandleRebalance(WorkerSinkTask owner) : IConsumerRebalanceListener
    {
        public void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions) => owner.OnPartitionsAssigned(partitions);

        public void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions) => owner.OnPartitionsRemoved(partitions, lost: false);

        public void OnPartitionsLost(IReadOnlyCollection<TopicPartition> partitions) => owner.OnPartitionsRemoved(partitions, lost: true);
    }

    private void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions)
    {
        if (_taskStopped)
        {
            return;
        }

        _log.LogDebug("{Task} Partitions assigned {Partitions}", Id, partitions);
        try
        {
            foreach (var partition in partitions)
            {
                var position = _consumer.Position(partition);
                _lastCommittedOffsets[partition] = position;
                _currentOffsets[partition] = position;
                _log.LogDebug("{Task} Assigned topic partition {Partition} with offset {Offset}", Id, partition, position);
            }

            var wasPausedForRedelivery = _pausedForRedelivery;
            _pausedForRedelivery = wasPausedForRedelivery && _messageBatch.Count > 0;
            if (_pausedForRedelivery)
            {
                PauseAll();
            }
            else
            {
                if (wasPausedForRedelivery)
                {
                    ResumeAll();
                }

                if (ShouldPause())
                {
                    PauseAll();
                }
                else
                {
                    var paused = _context.PausedPartitions;
                    _consumer.Pause(partitions.Where(p => paused.Contains(p)).ToList());
                }
            }

            if (partitions.Count == 0)
            {
                return;
            }

            _task.OpenAsync(partitions, CancellationToken.None).GetAwaiter().GetResult();
            Rewind();
        }
        catch (Exception e)
        {
            _log.LogError(e, "{Task} Error opening partitions", Id);
            _rebalanceException = e;
        }
    }

    private void OnPartitionsRemoved(IReadOnlyCollection<TopicPartition> partitions, bool lost)
    {
        if (_taskStopped)
        {
            _log.LogTrace("{Task} Skipping partition revocation callback as task has already been stopped", Id);
            return;
        }

        _log.LogDebug("{Task} Partitions {How}: {Partitions}", Id, lost ? "lost" : "revoked", partitions);
        if (partitions.Count == 0)
        {
            return;
        }

        try
        {
            ClosePartitions(partitions, lost);
        }
        catch (Exception e)
        {
            _log.LogError(e, "{Task} Error closing partitions", Id);
            _rebalanceException = e;
        }

        _messageBatch.RemoveAll(r => partitions.Contains(r.OriginalTopicPartition));
    }
}
