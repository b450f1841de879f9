using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes a Connect worker as <c>GET /</c> reports it.</summary>
/// <param name="Version">Gets the Kafka Connect version.</param>
/// <param name="Commit">Gets the commit the worker was built from.</param>
/// <param name="KafkaClusterId">Gets the id of the Kafka cluster the worker uses.</param>
public sealed record ConnectServerInfo(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("commit")] string? Commit,
    [property: JsonPropertyName("kafka_cluster_id")] string? KafkaClusterId);
