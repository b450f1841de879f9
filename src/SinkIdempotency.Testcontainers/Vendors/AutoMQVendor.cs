using DotNet.Testcontainers.Builders;

namespace SinkIdempotency.Testcontainers.Vendors;

/// <summary>Runs AutoMQ (<c>automqinc/automq</c>) as a single KRaft node in combined mode, after the MinIO container and buckets that hold its data.</summary>
internal sealed class AutoMQVendor : IKafkaVendor
{
    /// <inheritdoc/>
    public KafkaFlavour Flavour => KafkaFlavour.AutoMQ;

    /// <inheritdoc/>
    public string DefaultImage => DockerImages.AutoMQ;

    /// <inheritdoc/>
    public ContainerSpec Broker(DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ContainerSpec(
            options.EffectiveKafkaImage,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                // AutoMQ's static credentials provider reads these when the bucket URIs carry no keys.
                ["KAFKA_S3_ACCESS_KEY"] = options.MinioUser,
                ["KAFKA_S3_SECRET_KEY"] = options.MinioPassword,
                ["KAFKA_HEAP_OPTS"] = ContainerSettings.AutoMQHeapOptions,
            },
            [ContainerSettings.KafkaAlias],
            [ContainerSettings.KafkaHostPort])
        {
            // The image's command is "tail -f /dev/null"; the advertised host port is only known after start, as for Redpanda.
            Entrypoint = ["/bin/sh", "-c"],
            Command = [ContainerSettings.WaitForStartupScript()],
        };
    }

    /// <inheritdoc/>
    public async Task StartAsync(KafkaVendorStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);

        // AutoMQ keeps its data in object storage: MinIO and the buckets must exist before it formats and starts.
        await start.Part("object storage (MinIO)", () => StartObjectStorageAsync(start, cancellationToken)).ConfigureAwait(false);
        await start.StartScriptedAsync(
            Broker(start.Options),
            (host, port) => ContainerSettings.AutoMQStartupScript(host, port, start.KafkaClusterId, start.Options.GroupMinSessionTimeout),
            ContainerSettings.AutoMQReadyLog,
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task StartObjectStorageAsync(KafkaVendorStart start, CancellationToken cancellationToken)
    {
        var spec = ContainerSettings.Minio(start.Options);
        var minio = new ContainerBuilder(spec.Image)
            .WithNetwork(start.Network)
            .WithNetworkAliases([.. spec.NetworkAliases])
            .WithEnvironment(spec.Environment.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
            .WithPortBinding(ContainerSettings.MinioPort, assignRandomHostPort: true)
            .WithCommand([.. spec.Command])
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(
                r => r.ForPort(ContainerSettings.MinioPort).ForPath(ContainerSettings.MinioReadyPath),
                o => o.WithTimeout(start.Options.StartTimeout)))
            .Build();
        start.ObjectStorageCreated(minio);
        await minio.StartAsync(cancellationToken).ConfigureAwait(false);
        await KafkaVendorStart.ExecAllAsync(minio, "MinIO", ContainerSettings.MinioBucketCommands(start.Options), ContainerSettings.DescribeCommand, cancellationToken).ConfigureAwait(false);
    }
}
