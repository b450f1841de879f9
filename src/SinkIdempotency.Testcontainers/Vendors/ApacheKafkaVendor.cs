namespace SinkIdempotency.Testcontainers.Vendors;

/// <summary>Runs Apache Kafka (<c>apache/kafka</c>) in KRaft mode through the Testcontainers Kafka module.</summary>
internal sealed class ApacheKafkaVendor : ModuleKafkaVendor
{
    /// <inheritdoc/>
    public override KafkaFlavour Flavour => KafkaFlavour.Apache;

    /// <inheritdoc/>
    public override string DefaultImage => DockerImages.ApacheKafka;
}
