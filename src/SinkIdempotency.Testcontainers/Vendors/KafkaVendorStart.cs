using System.Globalization;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using SinkIdempotency.Connect;

namespace SinkIdempotency.Testcontainers.Vendors;

/// <summary>Gives a <see cref="IKafkaVendor"/> what it needs from the starting Docker environment, and the container starts the vendors share.</summary>
internal sealed class KafkaVendorStart
{
    /// <summary>Gets the environment's options.</summary>
    public required DockerEnvironmentOptions Options { get; init; }

    /// <summary>Gets the environment's network.</summary>
    public required INetwork Network { get; init; }

    /// <summary>Gets the Kafka cluster id for flavours that format their own storage (<see cref="ContainerSettings.AutoMQClusterId"/>).</summary>
    public required string KafkaClusterId { get; init; }

    /// <summary>Gets the hook told of the broker container before it starts, so a failed start still removes it.</summary>
    public required Action<IContainer> BrokerCreated { get; init; }

    /// <summary>Gets the hook told of a container the broker needs (AutoMQ's MinIO) before it starts, so a failed start still removes it.</summary>
    public required Action<IContainer> ObjectStorageCreated { get; init; }

    /// <summary>Gets the wrapper that names a failed part in the environment's start error.</summary>
    public required Func<string, Func<Task>, Task> Part { get; init; }

    /// <summary>Starts the broker through the Testcontainers Kafka module in KRaft mode, with the internal listener of <paramref name="spec"/>.</summary>
    /// <param name="spec">The broker's settings.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the broker is up.</returns>
    public async Task StartModuleAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var kafka = new global::Testcontainers.Kafka.KafkaBuilder(spec.Image)
            .WithNetwork(Network)
            .WithListener(spec.KafkaListener!)
            .WithEnvironment(spec.Environment.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))

            // KRaft for every module flavour (Confluent images would otherwise start a ZooKeeper inside the container).
            .WithKRaft()
            .Build();
        BrokerCreated(kafka);
        await kafka.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a generic broker container whose entrypoint waits for the start-up script, written once the published port (the external listener's advertised address) is known.</summary>
    /// <param name="spec">The broker's settings.</param>
    /// <param name="startupScript">Writes the script from the host name and the published port.</param>
    /// <param name="readyLog">The log line that says the broker is up.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started container.</returns>
    public async Task<IContainer> StartScriptedAsync(ContainerSpec spec, Func<string, int, string> startupScript, string readyLog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(startupScript);
        var kafka = new ContainerBuilder(spec.Image)
            .WithNetwork(Network)
            .WithNetworkAliases([.. spec.NetworkAliases])
            .WithEnvironment(spec.Environment.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
            .WithPortBinding(ContainerSettings.KafkaHostPort, assignRandomHostPort: true)
            .WithEntrypoint([.. spec.Entrypoint])
            .WithCommand([.. spec.Command])
            .WithStartupCallback((container, ct) => container.CopyAsync(
                Encoding.UTF8.GetBytes(startupScript(ConnectWorker.HostFor(container.Hostname), container.GetMappedPublicPort(ContainerSettings.KafkaHostPort))),
                ContainerSettings.StartupScriptPath,
                fileMode: Unix.FileMode755,
                ct: ct))
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged(readyLog, o => o.WithTimeout(Options.StartTimeout)))
            .Build();
        BrokerCreated(kafka);
        await kafka.StartAsync(cancellationToken).ConfigureAwait(false);
        return kafka;
    }

    /// <summary>Runs commands in a container in order and stops at the first that exits non-zero.</summary>
    /// <param name="container">The container.</param>
    /// <param name="containerName">The container's name in the error (<c>Redpanda</c>, <c>MinIO</c>).</param>
    /// <param name="commands">One argument list per command.</param>
    /// <param name="describe">Formats a command for the error, hiding what must not be reported.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The last command's standard output.</returns>
    /// <exception cref="InvalidOperationException">A command exited non-zero; the message names it, its exit code and its output.</exception>
    public static async Task<string> ExecAllAsync(
        IContainer container,
        string containerName,
        IReadOnlyList<IReadOnlyList<string>> commands,
        Func<IReadOnlyList<string>, string> describe,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(describe);
        var output = string.Empty;
        foreach (var command in commands)
        {
            var result = await container.ExecAsync([.. command], cancellationToken).ConfigureAwait(false);
            output = result.Stdout;
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"'{describe(command)}' in the {containerName} container exited with {result.ExitCode}: {SecretRedactor.RedactText((result.Stderr + result.Stdout).Trim())}"));
            }
        }

        return output;
    }
}
