namespace SinkIdempotency.Testcontainers.Vendors;

/// <summary>Starts a Kafka image the Testcontainers Kafka module knows (Apache, Confluent): the module sets the listeners, KRaft and single-node replication, and this adds the listener other containers use.</summary>
internal abstract class ModuleKafkaVendor : IKafkaVendor
{
    /// <inheritdoc/>
    public abstract KafkaFlavour Flavour { get; }

    /// <inheritdoc/>
    public abstract string DefaultImage { get; }

    /// <inheritdoc/>
    public ContainerSpec Broker(DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ContainerSpec(
            options.EffectiveKafkaImage,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                // The shortest session a worker or sink consumer may ask for (Kafka's default is 6 s).
                ["KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS"] = ContainerSettings.Milliseconds(options.GroupMinSessionTimeout),
            },
            [ContainerSettings.KafkaAlias],
            [ContainerSettings.KafkaHostPort])
        {
            // Adding this listener also makes "kafka" a network alias.
            KafkaListener = ContainerSettings.InternalBootstrap,
        };
    }

    /// <inheritdoc/>
    public Task StartAsync(KafkaVendorStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        return start.StartModuleAsync(Broker(start.Options), cancellationToken);
    }
}
