using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Scenarios.Support;

/// <summary>Configures the simulated Connect cluster: how fast its sink writes and how often it commits.</summary>
internal sealed record SimulatedOptions
{
    public EnvironmentCapabilities Capabilities { get; init; } =
        EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.AddWorker | EnvironmentCapabilities.RestartWorker
        | EnvironmentCapabilities.OffsetsApi | EnvironmentCapabilities.ConsumerGroupReset | EnvironmentCapabilities.WorkerLogs
        | EnvironmentCapabilities.FreezeWorker | EnvironmentCapabilities.DeleteRecords;

    /// <summary>The environment the driver reports it runs on (<see cref="IScenarioDriver.Environment"/>), for its optional abilities; none by default.</summary>
    public ISinkEnvironment? Environment { get; init; }

    /// <summary>Records written per batch.</summary>
    public int BatchSize { get; init; } = 20;

    /// <summary>Time one batch write takes.</summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.FromMilliseconds(4);

    /// <summary>Like Connect's offset.flush.interval.ms.</summary>
    /// <remarks>Long against the time between the harness reading the committed offsets and its kill taking effect, so a kill placed in the window is not overtaken by a commit even on a loaded machine (a real window is about a second).</remarks>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Commits in the same step as the write (a sink with transactional offsets): the target is never ahead.</summary>
    public bool CommitWithWrite { get; init; }

    /// <summary>Reports every freeze as not drained (a target that never says the worker's writes are done).</summary>
    public bool FreezeNeverDrains { get; init; }

    /// <summary>Never commits at all (a stuck pipeline).</summary>
    public bool NeverCommit { get; init; }

    /// <summary>Commits a batch's offsets before it writes the batch (the write takes <see cref="BatchDelay"/>): the loss window.</summary>
    public bool CommitBeforeWrite { get; init; }

    /// <summary>Consumes and commits as usual but writes no row at all (a broken pipeline).</summary>
    public bool WriteNothing { get; init; }

    /// <summary>Makes written rows visible only at the next multiple of this period (a sink that publishes on a schedule), or never delays them.</summary>
    public TimeSpan? PublishEvery { get; init; }

    /// <summary>How long a dead worker's tasks stay unassigned.</summary>
    public TimeSpan RebalanceDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Makes every connector fail at start.</summary>
    public bool FailConnectorStart { get; init; }

    /// <summary>The number of workers at start.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Fails on every record as on a poison record (a sink whose converter reads nothing): writes nothing, or dead-letters everything.</summary>
    public bool FailEveryRecord { get; init; }

    /// <summary>Names the failed record in the task's trace, as this project's worker does; real Connect's converter failures name none.</summary>
    public bool TraceNamesRecord { get; init; } = true;

    /// <summary>Uses a scenario's own target settings, as the external environment does.</summary>
    public bool UsesScenarioTargetSettings { get; init; }

    /// <summary>Delay between produced records batches of 50, so production takes a while.</summary>
    public TimeSpan ProduceDelay { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Lines every worker prints when a connector is created, given its configuration (e.g. a dump of the config, as workers log it).</summary>
    public Func<IReadOnlyDictionary<string, string>, IEnumerable<string>>? ConnectorLog { get; init; }

    /// <summary>The message of an error dropping the target table throws, so cleanup fails with it; or <see langword="null"/>.</summary>
    public string? DropTableFailure { get; init; }
}
