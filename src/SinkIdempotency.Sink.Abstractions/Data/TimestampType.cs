namespace SinkIdempotency.Sink;

/// <summary>Says where a record's timestamp came from.</summary>
public enum TimestampType
{
    /// <summary>The record has no timestamp.</summary>
    NoTimestampType,

    /// <summary>The producer set the timestamp.</summary>
    CreateTime,

    /// <summary>The broker set the timestamp when it appended the record.</summary>
    LogAppendTime,
}
