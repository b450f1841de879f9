using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Holds the body of the offsets API (<c>GET</c> and <c>PATCH /connectors/{name}/offsets</c>).</summary>
/// <param name="Offsets">Gets the partition/offset entries.</param>
public sealed record ConnectorOffsets([property: JsonPropertyName("offsets")] IReadOnlyList<ConnectorOffset> Offsets)
{
    /// <summary>Builds the body for sink offsets, in Connect's <c>kafka_topic</c> / <c>kafka_partition</c> / <c>kafka_offset</c> shape.</summary>
    /// <param name="offsets">The sink offsets; a <see langword="null"/> offset resets that partition.</param>
    /// <returns>The offsets body.</returns>
    public static ConnectorOffsets ForSink(IEnumerable<SinkPartitionOffset> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        return new ConnectorOffsets([.. offsets.Select(o => new ConnectorOffset(
            new Dictionary<string, JsonElement>(StringComparer.Ordinal)
            {
                ["kafka_topic"] = JsonSerializer.SerializeToElement(o.Topic),
                ["kafka_partition"] = JsonSerializer.SerializeToElement(o.Partition),
            },
            o.Offset is { } offset
                ? new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["kafka_offset"] = JsonSerializer.SerializeToElement(offset) }
                : null))]);
    }

    /// <summary>Reads the entries as sink offsets; Connect may write numbers as strings, both are accepted.</summary>
    /// <returns>One sink offset per entry, ordered by topic then partition.</returns>
    /// <exception cref="FormatException">An entry lacks <c>kafka_topic</c> or <c>kafka_partition</c> (the connector is not a sink).</exception>
    public IReadOnlyList<SinkPartitionOffset> ToSinkOffsets() =>
        [.. Offsets.Select(o => new SinkPartitionOffset(
                o.Partition.TryGetValue("kafka_topic", out var topic) ? topic.GetString() ?? string.Empty : throw new FormatException("An offsets entry has no kafka_topic; only sink connector offsets can be read as SinkPartitionOffset."),
                o.Partition.TryGetValue("kafka_partition", out var partition) ? (int)ReadNumber(partition) : throw new FormatException("An offsets entry has no kafka_partition; only sink connector offsets can be read as SinkPartitionOffset."),
                o.Offset is not null && o.Offset.TryGetValue("kafka_offset", out var offset) && offset.ValueKind != JsonValueKind.Null ? ReadNumber(offset) : null))
            .OrderBy(o => o.Topic, StringComparer.Ordinal)
            .ThenBy(o => o.Partition)];

    private static long ReadNumber(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? long.Parse(element.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
        : element.GetInt64();
}
