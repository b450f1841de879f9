namespace SinkIdempotency.Testcontainers;

/// <summary>Names the Kafka-compatible broker the Docker environment runs, for compatibility comparisons.</summary>
public enum KafkaFlavour
{
    /// <summary>Runs Apache Kafka (<c>apache/kafka</c>) in KRaft mode through the Testcontainers Kafka module.</summary>
    Apache = 0,

    /// <summary>Runs Confluent Platform Kafka (<c>confluentinc/cp-kafka</c>) in KRaft mode through the Testcontainers Kafka module.</summary>
    Confluent = 1,

    /// <summary>Runs Redpanda (<c>redpandadata/redpanda</c>) in dev-container mode as a generic container with its own listener settings.</summary>
    Redpanda = 2,

    /// <summary>Runs AutoMQ (<c>automqinc/automq</c>) as a single KRaft node in combined mode, storing its data in a MinIO container started with it.</summary>
    AutoMQ = 3,
}
