namespace SinkIdempotency.Testcontainers.Vendors;

/// <summary>Holds what one Kafka-compatible broker flavour does differently: its default image, its container settings and how it starts.</summary>
/// <remarks>One implementation per <see cref="KafkaFlavour"/>, one file each, found through <see cref="KafkaVendors.For"/>; a new flavour is a new file and a row there.</remarks>
internal interface IKafkaVendor
{
    /// <summary>Gets the flavour this vendor starts.</summary>
    KafkaFlavour Flavour { get; }

    /// <summary>Gets the pinned image used when the options name none.</summary>
    string DefaultImage { get; }

    /// <summary>Generates the broker container's settings from the options.</summary>
    /// <param name="options">The environment's options.</param>
    /// <returns>The broker's settings.</returns>
    ContainerSpec Broker(DockerEnvironmentOptions options);

    /// <summary>Starts the broker (and anything it needs first) on the environment's network.</summary>
    /// <param name="start">The network, options and hooks of the environment that is starting.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the broker serves clients.</returns>
    Task StartAsync(KafkaVendorStart start, CancellationToken cancellationToken);
}
