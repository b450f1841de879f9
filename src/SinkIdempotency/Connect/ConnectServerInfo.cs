using System.Globalization;
using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes a Connect worker as <c>GET /</c> reports it.</summary>
/// <param name="Version">Gets the Kafka Connect version.</param>
/// <param name="Commit">Gets the commit the worker was built from.</param>
/// <param name="KafkaClusterId">Gets the id of the Kafka cluster the worker uses.</param>
public sealed record ConnectServerInfo(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("commit")] string? Commit,
    [property: JsonPropertyName("kafka_cluster_id")] string? KafkaClusterId)
{
    /// <summary>Gets the Apache Kafka version the worker runs, with Confluent Platform numbering (<c>7.7.1-ccs</c>) mapped back to Apache Kafka's (3.7).</summary>
    /// <value>The major and minor version, or <see langword="null"/> when <see cref="Version"/> cannot be read.</value>
    [JsonIgnore]
    public Version? KafkaVersion
    {
        get
        {
            var text = Version ?? string.Empty;
            var dash = text.IndexOf('-', StringComparison.Ordinal);
            var suffix = dash < 0 ? string.Empty : text[(dash + 1)..];
            var parts = (dash < 0 ? text : text[..dash]).Split('.');
            if (parts.Length < 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            {
                return null;
            }

            // Confluent Platform's own Kafka builds report their platform version with a -ccs or -ce suffix:
            // 7.x is Apache Kafka 3.x and 8.x is Apache Kafka 4.x.
            var confluent = suffix.StartsWith("ccs", StringComparison.OrdinalIgnoreCase) || suffix.StartsWith("ce", StringComparison.OrdinalIgnoreCase);
            return new Version(confluent && major >= 5 ? major - 4 : major, minor);
        }
    }

    /// <summary>Gets whether the worker serves the offsets API of KIP-875 (<c>PATCH</c> and <c>DELETE /connectors/{name}/offsets</c>), added in Kafka 3.6.</summary>
    /// <value><see langword="true"/> from Kafka Connect 3.6 on; <see langword="false"/> for older or unreadable versions.</value>
    [JsonIgnore]
    public bool SupportsOffsetsApi => KafkaVersion is { } version && version >= new Version(3, 6);
}
