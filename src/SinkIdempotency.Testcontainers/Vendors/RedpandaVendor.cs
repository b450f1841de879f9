namespace SinkIdempotency.Testcontainers.Vendors;

/// <summary>Runs Redpanda (<c>redpandadata/redpanda</c>) in dev-container mode as a generic container, then sets and reads back its minimum group session timeout.</summary>
internal sealed class RedpandaVendor : IKafkaVendor
{
    /// <inheritdoc/>
    public KafkaFlavour Flavour => KafkaFlavour.Redpanda;

    /// <inheritdoc/>
    public string DefaultImage => DockerImages.Redpanda;

    /// <inheritdoc/>
    public ContainerSpec Broker(DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ContainerSpec(options.EffectiveKafkaImage, new Dictionary<string, string>(StringComparer.Ordinal), [ContainerSettings.KafkaAlias], [ContainerSettings.KafkaHostPort])
        {
            // The advertised host port is only known after start: wait for the script the start-up callback writes.
            Entrypoint = ["/bin/sh", "-c"],
            Command = [ContainerSettings.WaitForStartupScript()],
        };
    }

    /// <inheritdoc/>
    public async Task StartAsync(KafkaVendorStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var session = start.Options.GroupMinSessionTimeout;
        var kafka = await start.StartScriptedAsync(
            Broker(start.Options),
            (host, port) => ContainerSettings.RedpandaStartupScript(host, port, session),
            ContainerSettings.RedpandaReadyLog,
            cancellationToken).ConfigureAwait(false);
        var output = await KafkaVendorStart.ExecAllAsync(
            kafka,
            "Redpanda",
            ContainerSettings.RedpandaSessionCommands(session),
            command => string.Join(' ', command),
            cancellationToken).ConfigureAwait(false);
        if (ContainerSettings.CheckRedpandaSessionSetting(output, session) is { } error)
        {
            throw new InvalidOperationException(error);
        }
    }
}
