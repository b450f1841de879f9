using SinkIdempotency.Environments;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Cli.Run;

/// <summary>Holds the validated options of <c>sink-idempotency run</c>.</summary>
internal sealed record RunSettings
{
    public const int MaxRepeat = 100;

    public const int MaxParallel = 16;

    /// <summary>The lanes per core the embedded environment runs when <c>--parallel</c> is not given.</summary>
    /// <remarks>
    /// A cell mostly waits (a stream at its rate, a quiet period, a killed worker's session to expire), so lanes add up
    /// until the CPU runs out. Measured on 2 cores (whole default run, 72 cells, quiet machine, worker compiled ReadyToRun,
    /// about 95 CPU-s a run): 8 lanes 70.9 s, 10 lanes 60.6 s, 12 lanes 64.2 s with one cell re-run alone after its fault
    /// could not be injected beside the others, 16 lanes 87.0 s with four. So five per core, at most
    /// <see cref="DefaultParallelCeiling"/>.
    /// </remarks>
    public const int DefaultLanesPerCore = 5;

    /// <summary>The most lanes the embedded environment runs when <c>--parallel</c> is not given, whatever the core count.</summary>
    /// <remarks>Ten: the most measured to help (on 2 cores); past it the shared broker and servers and the window observations of one process are the limit, not the cores.</remarks>
    public const int DefaultParallelCeiling = 10;

    public EnvironmentKind Environment { get; init; } = EnvironmentKind.Embedded;

    /// <summary>Gets the scenario files; empty runs the built-in matrix.</summary>
    public IReadOnlyList<string> ScenarioFiles { get; init; } = [];

    public string? OutputDirectory { get; init; }

    public string? Filter { get; init; }

    public int Repeat { get; init; } = 1;

    /// <summary>Gets how many lanes run scenarios at the same time, as given with <c>--parallel</c>; each lane has Connect workers of its own.</summary>
    /// <value><see langword="null"/> when not given: <see cref="EffectiveParallel"/> then chooses from the machine's cores.</value>
    public int? Parallel { get; init; }

    /// <summary>Gets how many lanes run at once: <see cref="Parallel"/> when given, else <see cref="DefaultParallel"/> for this machine's cores.</summary>
    public int EffectiveParallel => Parallel ?? DefaultParallel(Environment, System.Environment.ProcessorCount);

    /// <summary>Chooses how many lanes run at once when <c>--parallel</c> is not given.</summary>
    /// <param name="environment">The environment kind.</param>
    /// <param name="cores">The machine's processor count.</param>
    /// <returns>
    /// For the embedded environment <see cref="DefaultLanesPerCore"/> per core, at least 1 and at most
    /// <see cref="DefaultParallelCeiling"/>. Lanes share the broker and one server per target, and each has its own Connect
    /// workers and fault proxies, so a kill, freeze or proxy fault lands only in its own lane; a lane costs one worker
    /// process (see bench/SinkIdempotency.Benchmarks, <c>default-run</c>, for what the lane count costs and buys).
    /// For Docker and external environments 1: a Docker lane is several JVM containers, and an external cluster is shared with others.
    /// </returns>
    public static int DefaultParallel(EnvironmentKind environment, int cores) =>
        environment == EnvironmentKind.Embedded ? Math.Clamp(cores * DefaultLanesPerCore, 1, DefaultParallelCeiling) : 1;

    /// <summary>Says how <see cref="DefaultParallel"/> chose, for the run's output.</summary>
    /// <param name="environment">The environment kind.</param>
    /// <param name="cores">The machine's processor count.</param>
    /// <returns>A short phrase, e.g. <c>default for 2 cores: 2 per core, at most 8</c>.</returns>
    public static string DefaultParallelReason(EnvironmentKind environment, int cores) =>
        environment == EnvironmentKind.Embedded
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"default for {cores} core(s): {DefaultLanesPerCore} per core, at most {DefaultParallelCeiling}; change with --parallel")
            : $"default for --env {environment.ToString().ToLowerInvariant()}: one at a time; change with --parallel";

    /// <summary>Gets the folders or assemblies with .NET sinks the embedded workers load (<c>--plugin-path</c>, plus the scenario files' <c>plugins:</c>).</summary>
    public IReadOnlyList<string> PluginPaths { get; init; } = [];

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
