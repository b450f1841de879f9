using System.Text.Json.Nodes;

namespace SinkIdempotency.Sink;

/// <summary>
/// Carries one consumed Kafka record after conversion, as Connect's <c>SinkRecord</c> does: coordinates, converted key and value
/// with their schemas, timestamp and headers.
/// </summary>
/// <remarks>
/// Values are <see cref="JsonNode"/> trees: a struct is a <see cref="JsonObject"/> keyed by field name, an array a
/// <see cref="JsonArray"/>, bytes base64 text, and the schema (when the converter has one) says which Connect type each node is.
/// </remarks>
public class SinkRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="topic">The topic it was consumed from.</param>
    /// <param name="partition">The partition it was consumed from.</param>
    /// <param name="keySchema">The key schema, or <see langword="null"/> for schemaless keys.</param>
    /// <param name="key">The converted key.</param>
    /// <param name="valueSchema">The value schema, or <see langword="null"/> for schemaless values.</param>
    /// <param name="value">The converted value; <see langword="null"/> for a tombstone.</param>
    /// <param name="offset">The offset in its partition.</param>
    /// <param name="timestamp">The record timestamp, if it has one.</param>
    /// <param name="timestampType">Where the timestamp came from.</param>
    /// <param name="headers">The headers, in order.</param>
    public SinkRecord(
        string topic,
        int partition,
        ConnectSchema? keySchema,
        JsonNode? key,
        ConnectSchema? valueSchema,
        JsonNode? value,
        long offset,
        DateTimeOffset? timestamp = null,
        TimestampType timestampType = TimestampType.NoTimestampType,
        IReadOnlyList<SinkRecordHeader>? headers = null)
    {
        Topic = topic;
        KafkaPartition = partition;
        KeySchema = keySchema;
        Key = key;
        ValueSchema = valueSchema;
        Value = value;
        KafkaOffset = offset;
        Timestamp = timestamp;
        TimestampType = timestampType;
        Headers = headers ?? [];
        OriginalTopic = topic;
        OriginalKafkaPartition = partition;
        OriginalKafkaOffset = offset;
    }

    /// <summary>Gets the topic (after transformations, if any).</summary>
    public string Topic { get; }

    /// <summary>Gets the partition.</summary>
    public int KafkaPartition { get; }

    /// <summary>Gets the offset.</summary>
    public long KafkaOffset { get; }

    /// <summary>Gets the key schema, or <see langword="null"/> when the converter has none.</summary>
    public ConnectSchema? KeySchema { get; }

    /// <summary>Gets the converted key.</summary>
    public JsonNode? Key { get; }

    /// <summary>Gets the value schema, or <see langword="null"/> when the converter has none.</summary>
    public ConnectSchema? ValueSchema { get; }

    /// <summary>Gets the converted value; <see langword="null"/> for a tombstone.</summary>
    public JsonNode? Value { get; }

    /// <summary>Gets the record timestamp.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>Gets where the timestamp came from.</summary>
    public TimestampType TimestampType { get; }

    /// <summary>Gets the headers, in order.</summary>
    public IReadOnlyList<SinkRecordHeader> Headers { get; }

    /// <summary>Gets the topic the record was consumed from; use it (not <see cref="Topic"/>) for offsets returned from <see cref="SinkTask.PreCommitAsync"/>.</summary>
    public string OriginalTopic { get; init; }

    /// <summary>Gets the partition the record was consumed from.</summary>
    public int OriginalKafkaPartition { get; init; }

    /// <summary>Gets the offset the record was consumed at.</summary>
    public long OriginalKafkaOffset { get; init; }

    /// <summary>Gets the partition the record was consumed from as one value.</summary>
    public TopicPartition OriginalTopicPartition => new(OriginalTopic, OriginalKafkaPartition);

    /// <summary>Formats the record's coordinates for logs.</summary>
    /// <returns>Text naming topic, partition and offset.</returns>
    public override string ToString() => $"SinkRecord{{topic='{Topic}', kafkaPartition={KafkaPartition}, kafkaOffset={KafkaOffset}}}";
}
