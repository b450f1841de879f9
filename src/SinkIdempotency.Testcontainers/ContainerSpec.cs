namespace SinkIdempotency.Testcontainers;

/// <summary>Describes the settings the environment gives one container, as plain data so they can be checked without Docker.</summary>
/// <param name="Image">The image name with its tag.</param>
/// <param name="Environment">The environment variables the environment adds (modules may add their own).</param>
/// <param name="NetworkAliases">The names other containers reach it by on the environment's network.</param>
/// <param name="Ports">The container ports published to random host ports.</param>
internal sealed record ContainerSpec(
    string Image,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> NetworkAliases,
    IReadOnlyList<int> Ports)
{
    /// <summary>Gets the entrypoint override, empty for the image's.</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    /// <summary>Gets the command (arguments), empty for the image's or the module's.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Gets folders of this machine copied into the container before it starts (no bind mount, so remote and Docker-in-Docker engines work too).</summary>
    public IReadOnlyList<(string Source, string Target)> CopiedFolders { get; init; } = [];

    /// <summary>Gets how long Docker waits after SIGTERM before it kills the container on a stop, in whole seconds, or <see langword="null"/> for the engine's default (10 s).</summary>
    public int? StopTimeoutSeconds { get; init; }

    /// <summary>Gets the Kafka listener added through the Testcontainers Kafka module (<c>host:port</c>), or <see langword="null"/>.</summary>
    public string? KafkaListener { get; init; }
}
