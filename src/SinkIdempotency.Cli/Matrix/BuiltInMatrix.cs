using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Matrix;

/// <summary>Defines the default failure matrix of <c>sink-idempotency run</c>: the five failure cases × the reference sink's bad and good configurations.</summary>
/// <remarks>
/// Both columns claim <see cref="DeclaredSemantics.ExactlyOnceEffect"/>, the claim teams make when they say "the sink is
/// idempotent". The bad column is expected red where a redelivery or a poison record bites, the good column green.
/// For schema breaks, bad means <c>errors.tolerance=all</c> without a dead-letter topic and good means a dead-letter topic.
/// The rebalance kills a worker while the target is ahead of the committed offsets (the demanding case; a worker that
/// joins is a clean handover). Workload and timeouts follow the harness's known answers: 1000 records over 2 partitions.
/// </remarks>
internal static class BuiltInMatrix
{
    /// <summary>Gets the failure cases in scorecard order, each with the fault the matrix injects.</summary>
    public static IReadOnlyList<Func<Fault>> Faults { get; } =
    [
        () => new CrashAfterTargetWrite(),
        () => new TargetTimeout(),
        () => new Rebalance(new RebalanceOptions { Kind = RebalanceKind.WorkerDies, KillWhileTargetAhead = true }),
        () => new SchemaBreak(),
        () => new Replay(),
    ];

    private static readonly ScenarioWorkload Workload = new() { Records = 1000, Partitions = 2, Keys = 100 };
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StableFor = TimeSpan.FromMilliseconds(1500);

    /// <summary>Gets the ten entries: for each failure case, the bad then the good configuration.</summary>
    public static IReadOnlyList<MatrixEntry> Entries { get; } = Build();

    private static Scenario WithConnectorSettings(this Scenario scenario, IEnumerable<KeyValuePair<string, string>> settings) =>
        settings.Aggregate(scenario, (s, setting) => s.WithConnectorSetting(setting.Key, setting.Value));

    private static Scenario WithDeadLetterQueueFor(this Scenario scenario, Fault fault) =>
        fault is SchemaBreak ? scenario.WithDeadLetterQueue() : scenario;

    private static List<MatrixEntry> Build()
    {
        var entries = new List<MatrixEntry>();
        foreach (var create in Faults)
        {
            var fault = create();
            entries.Add(new MatrixEntry(
                ReferenceConnectors.PostgresInsert,
                Scenario.Named($"{fault.Name}/{ReferenceConnectors.PostgresInsert}")
                    .WithConnector(ReferenceConnectors.PostgresInsertConfig)
                    .WithConnectorSettings(fault is SchemaBreak ? [new("errors.tolerance", "all")] : [])
                    .WithWorkload(Workload)
                    .WithTimeouts(settle: SettleTimeout, stableFor: StableFor)
                    .WithTargetMapping(ReferenceConnectors.Mapping)
                    .WithFault(fault)
                    .Declaring(DeclaredSemantics.ExactlyOnceEffect),
                "built-in"));
            entries.Add(new MatrixEntry(
                ReferenceConnectors.PostgresUpsert,
                Scenario.Named($"{fault.Name}/{ReferenceConnectors.PostgresUpsert}")
                    .WithConnector(ReferenceConnectors.PostgresUpsertConfig)
                    .WithDeadLetterQueueFor(fault)
                    .WithWorkload(Workload)
                    .WithTimeouts(settle: SettleTimeout, stableFor: StableFor)
                    .WithTargetMapping(ReferenceConnectors.Mapping)
                    .WithFault(create())
                    .Declaring(DeclaredSemantics.ExactlyOnceEffect),
                "built-in"));
        }

        return entries;
    }
}
