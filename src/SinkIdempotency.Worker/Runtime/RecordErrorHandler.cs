namespace SinkIdempotency.Worker.Runtime;

/// <summary>
/// Runs converter stages under the connector's error tolerance (Connect's <c>RetryWithToleranceOperator</c>).
/// With <c>errors.tolerance=none</c> (the only mode of part 1) the first failure fails the task.
/// </summary>
internal class RecordErrorHandler
{
    /// <summary>Runs one stage; returns false when the record must be skipped (tolerated failure).</summary>
    public virtual bool TryExecute(string stage, ConsumedRecord record, Action operation)
    {
        try
        {
            operation();
            return true;
        }
        catch (Exception e)
        {
            throw Errors.ToleranceExceeded.Create(stage, "unknown", record, e);
        }
    }

    /// <summary>Waits until errant-record reports of the given partitions are written (called before a commit).</summary>
    public virtual void AwaitReports(IEnumerable<Sink.TopicPartition> partitions)
    {
    }

    /// <summary>Fails the task when a report made during <c>put</c> exceeded the tolerance.</summary>
    public virtual void ThrowIfToleranceExceeded()
    {
    }

    /// <summary>Releases the error reporters (the dead-letter queue producer) when the task closes.</summary>
    public virtual void Close()
    {
    }
}
