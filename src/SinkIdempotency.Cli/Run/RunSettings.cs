using SinkIdempotency.Environments;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Cli.Run;

/// <summary>Holds the validated options of <c>sink-idempotency run</c>.</summary>
internal sealed record RunSettings
{
    public const int MaxRepeat = 100;

    public const int MaxParallel = 8;

    /// <summary>The most environments the embedded environment runs at once when <c>--parallel</c> is not given, whatever the core count: each is a broker, workers and a PostgreSQL server.</summary>
    public const int DefaultParallelCeiling = 4;

    public EnvironmentKind Environment { get; init; } = EnvironmentKind.Embedded;

    /// <summary>Gets the scenario files; empty runs the built-in matrix.</summary>
    public IReadOnlyList<string> ScenarioFiles { get; init; } = [];

    public string? OutputDirectory { get; init; }

    public string? Filter { get; init; }

    public int Repeat { get; init; } = 1;

    /// <summary>Gets how many environments run scenarios at the same time, each with its own broker, workers and target, as given with <c>--parallel</c>.</summary>
    /// <value><see langword="null"/> when not given: <see cref="EffectiveParallel"/> then chooses from the machine's cores.</value>
    public int? Parallel { get; init; }

    /// <summary>Gets how many environments run at once: <see cref="Parallel"/> when given, else <see cref="DefaultParallel"/> for this machine's cores.</summary>
    public int EffectiveParallel => Parallel ?? DefaultParallel(Environment, System.Environment.ProcessorCount);

    /// <summary>Chooses how many environments run at once when <c>--parallel</c> is not given.</summary>
    /// <param name="environment">The environment kind.</param>
    /// <param name="cores">The machine's processor count.</param>
    /// <returns>
    /// For the embedded environment one per core, at least 1 and at most <see cref="DefaultParallelCeiling"/>: lanes share
    /// nothing (each has its own broker, workers and target, and kills land only in their own lane), and on a 2-core
    /// machine two lanes ran the default matrix with the same verdicts in about 60% of the time. For Docker and external
    /// environments 1: a Docker lane is several JVM containers, and an external cluster is shared with others.
    /// </returns>
    public static int DefaultParallel(EnvironmentKind environment, int cores) =>
        environment == EnvironmentKind.Embedded ? Math.Clamp(cores, 1, DefaultParallelCeiling) : 1;

    /// <summary>Gets the folders or assemblies with .NET sinks the embedded workers load (<c>--plugin-path</c>, plus the scenario files' <c>plugins:</c>).</summary>
    public IReadOnlyList<string> PluginPaths { get; init; } = [];

    /// <summary>Gets a value indicating whether the built-in matrix of <c>--env embedded</c> has a column for every reference configuration across targets (<c>--all-targets</c>), not only the two PostgreSQL ones.</summary>
    /// <value><see langword="false"/>: the default run keeps the PostgreSQL columns, so CI stays short.</value>
    public bool AllTargets { get; init; }

    /// <summary>Gets a value indicating whether to list the selected scenarios instead of running them.</summary>
    public bool List { get; init; }

    /// <summary>Gets a value indicating whether a run in which every scenario was skipped exits 0 (<c>--allow-skips</c>) instead of <see cref="ExitCodes.NothingRan"/>.</summary>
    public bool AllowSkips { get; init; }

    /// <summary>Gets the broker flavour of <c>--env docker</c> (<c>--kafka</c>), or <see langword="null"/> for <see cref="DockerEnvironmentOptions.KafkaFlavourVariable"/> or else Apache Kafka.</summary>
    public KafkaFlavour? Kafka { get; init; }

    /// <summary>Gets the broker image of <c>--env docker</c> (<c>--kafka-image</c>), or <see langword="null"/> for <see cref="DockerEnvironmentOptions.KafkaImageVariable"/> or else the flavour's pinned image.</summary>
    public string? KafkaImage { get; init; }

    /// <summary>Gets the name of the cluster <c>--env embedded --bootstrap-servers</c> runs on, in reports (<c>--kafka-label</c>), or <see langword="null"/> for the bootstrap servers.</summary>
    public string? KafkaLabel { get; init; }

    /// <summary>Gets the endpoints of <c>--env external</c>: from the command line, then completed from the environment variables before the run starts.
    /// With <c>--env embedded</c>, <see cref="ExternalEnvironmentOptions.BootstrapServers"/> and <see cref="ExternalEnvironmentOptions.KafkaSettings"/> name the cluster to run on instead of the in-process broker.</summary>
    public ExternalEnvironmentOptions External { get; init; } = new();
}
