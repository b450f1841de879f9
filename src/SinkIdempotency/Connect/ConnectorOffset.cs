using System.Text.Json;
using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Holds one entry of the offsets API: a source partition and its offset, as free-form JSON objects.</summary>
/// <param name="Partition">Gets the partition; for sinks <c>{"kafka_topic":"t","kafka_partition":0}</c>.</param>
/// <param name="Offset">Gets the offset; for sinks <c>{"kafka_offset":5}</c>; <see langword="null"/> resets the partition.</param>
public sealed record ConnectorOffset(
    [property: JsonPropertyName("partition")] IReadOnlyDictionary<string, JsonElement> Partition,
    [property: JsonPropertyName("offset")] IReadOnlyDictionary<string, JsonElement>? Offset);
