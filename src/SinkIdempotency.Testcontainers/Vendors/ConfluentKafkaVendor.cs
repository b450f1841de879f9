namespace SinkIdempotency.Testcontainers.Vendors;

/// <summary>Runs Confluent Platform Kafka (<c>confluentinc/cp-kafka</c>) in KRaft mode through the Testcontainers Kafka module.</summary>
internal sealed class ConfluentKafkaVendor : ModuleKafkaVendor
{
    /// <inheritdoc/>
    public override KafkaFlavour Flavour => KafkaFlavour.Confluent;

    /// <inheritdoc/>
    public override string DefaultImage => DockerImages.ConfluentKafka;
}
