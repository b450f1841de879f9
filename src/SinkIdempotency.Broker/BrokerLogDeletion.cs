namespace SinkIdempotency.Broker;

/// <summary>Describes records one deletion removed from one partition (a retention pass or DeleteRecords), and why.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition index.</param>
/// <param name="Reason">The rule that deleted the segments.</param>
/// <param name="ConfigName">The config that set the limit (<c>retention.ms</c> or <c>retention.bytes</c>), or null for <see cref="BrokerLogDeletionReason.DeleteRecords"/>.</param>
/// <param name="ConfigValue">The limit in force: milliseconds for <c>retention.ms</c>, bytes for <c>retention.bytes</c>; null for <see cref="BrokerLogDeletionReason.DeleteRecords"/>.</param>
/// <param name="Segments">How many whole log segments were deleted.</param>
/// <param name="Bytes">How many bytes of record batches were freed.</param>
/// <param name="LogStartOffsetBefore">The log start offset before the deletion.</param>
/// <param name="LogStartOffsetAfter">The log start offset after it: the first offset a consumer can still read.</param>
/// <param name="DeletedAt">The broker time of the deletion.</param>
public sealed record BrokerLogDeletion(
    string Topic,
    int Partition,
    BrokerLogDeletionReason Reason,
    string? ConfigName,
    long? ConfigValue,
    int Segments,
    long Bytes,
    long LogStartOffsetBefore,
    long LogStartOffsetAfter,
    DateTimeOffset DeletedAt);
