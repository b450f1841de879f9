namespace SinkIdempotency.Broker;

/// <summary>Names the rule by which retention deleted log segments, the order of a Kafka retention pass after DeleteRecords.</summary>
public enum BrokerLogDeletionReason
{
    /// <summary>A DeleteRecords request (or <see cref="KafkaBroker.DeleteRecordsBefore"/>) moved the log start offset forward.</summary>
    DeleteRecords,

    /// <summary>The partition held more than <c>retention.bytes</c>; the oldest segments went until it no longer did.</summary>
    RetentionSize,

    /// <summary>The segments' newest records were older than <c>retention.ms</c>.</summary>
    RetentionTime,
}
