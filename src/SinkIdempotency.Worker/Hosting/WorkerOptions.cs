namespace SinkIdempotency.Worker.Hosting;

/// <summary>The worker's settings, from the command line; defaults follow Connect's distributed worker.</summary>
internal sealed record WorkerOptions
{
    /// <summary>Gets the Kafka bootstrap servers (required).</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>Gets the cluster's group id (required); workers with the same id form one cluster.</summary>
    public required string GroupId { get; init; }

    /// <summary>Gets the REST port; 0 picks a free port. Default 8083, as Connect.</summary>
    public int RestPort { get; init; } = 8083;

    /// <summary>Gets the REST listen address. Default 127.0.0.1.</summary>
    public string RestHost { get; init; } = "127.0.0.1";

    /// <summary>Gets the worker id shown in statuses; default <c>host:port</c> of the REST listener, as Connect.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Gets Connect's <c>offset.flush.interval.ms</c>. Default 60000.</summary>
    public long OffsetFlushIntervalMs { get; init; } = 60_000;

    /// <summary>Gets Connect's <c>offset.flush.timeout.ms</c>. Default 5000.</summary>
    public long OffsetFlushTimeoutMs { get; init; } = 5_000;

    /// <summary>Gets Connect's <c>task.shutdown.graceful.timeout.ms</c>. Default 5000.</summary>
    public long TaskShutdownGracefulTimeoutMs { get; init; } = 5_000;

    /// <summary>Gets the session timeout of the worker's cluster membership (Connect's worker <c>session.timeout.ms</c>). Default 10000.</summary>
    public int ClusterSessionTimeoutMs { get; init; } = 10_000;

    /// <summary>Gets the number of task slots (partitions of the assignment topic). Default 64.</summary>
    public int ClusterSlots { get; init; } = 64;

    /// <summary>Gets extra client properties for every client the worker creates.</summary>
    public IReadOnlyDictionary<string, string> ClientProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets extra properties for sink task consumers (Connect's worker <c>consumer.*</c>).</summary>
    public IReadOnlyDictionary<string, string> ConsumerProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets worker-level connector defaults such as <c>key.converter</c>, <c>value.converter</c> and their settings.</summary>
    public IReadOnlyDictionary<string, string> WorkerProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets folders or assembly files holding .NET sink plugins.</summary>
    public IReadOnlyList<string> PluginPaths { get; init; } = [];

    /// <summary>Gets the heartbeat interval of the worker's cluster membership, or <see langword="null"/> for a third of the session timeout.</summary>
    /// <remarks>Members learn of a rebalance at their next heartbeat, so a shorter interval lets a joining worker land sooner.</remarks>
    public int? ClusterHeartbeatIntervalMs { get; init; }

    /// <summary>Gets a value indicating whether the worker keeps running when its standard input closes.</summary>
    public bool Detached { get; init; }

    /// <summary>Gets a value indicating whether the worker waits for a <c>join</c> line on standard input before it joins the cluster.</summary>
    public bool Standby { get; init; }

    public string ConfigTopic => $"connect-configs-{GroupId}";

    public string StatusTopic => $"connect-status-{GroupId}";

    public string AssignmentTopic => $"connect-assignments-{GroupId}";
}
