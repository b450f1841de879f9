using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>A converted record that keeps its raw original, as Connect's <c>InternalSinkRecord</c> does (the dead-letter queue writes the original bytes).</summary>
internal sealed class InternalSinkRecord(
    ConsumedRecord original,
    ConnectSchema? keySchema,
    JsonNode? key,
    ConnectSchema? valueSchema,
    JsonNode? value)
    : SinkRecord(original.Topic, original.Partition, keySchema, key, valueSchema, value, original.Offset, original.Timestamp, original.TimestampType, original.Headers)
{
    public ConsumedRecord Original { get; } = original;
}
