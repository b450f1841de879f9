using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Lists the built-in failure cases in matrix order, each with its settings and factories: the one place the scenario files, the scorecard's rows and the known-answer matrix read.</summary>
/// <remarks>A new failure case is a <see cref="Fault"/> class, its options class, and one entry here.</remarks>
public static class FaultCatalog
{
    /// <summary>Gets the built-in failure cases in the order of the scorecard's rows.</summary>
    /// <value>Crash after target write, crash after offset commit, target timeout, offset commit timeout, offset commit refused, fetch stall, rebalance, schema break, replay.</value>
    public static IReadOnlyList<FaultDefinition> Definitions { get; } =
    [
        new("crash-after-target-write", ["minimumRowsAhead", "task", "triggerTimeout", "restartWorker"], s =>
        {
            var d = new CrashAfterTargetWriteOptions();
            return new CrashAfterTargetWrite(new CrashAfterTargetWriteOptions
            {
                MinimumRowsAhead = s.Int("minimumRowsAhead", 1, 1_000_000_000) ?? d.MinimumRowsAhead,
                Task = s.Int("task", 0, 1000) ?? d.Task,
                TriggerTimeout = s.Duration("triggerTimeout") ?? d.TriggerTimeout,
                RestartWorker = s.Bool("restartWorker") ?? d.RestartWorker,
            });
        }, () => new CrashAfterTargetWrite()),

        new("crash-after-offset-commit", ["minimumRecordsBehind", "task", "triggerTimeout", "restartWorker"], s =>
        {
            var d = new CrashAfterOffsetCommitOptions();
            return new CrashAfterOffsetCommit(new CrashAfterOffsetCommitOptions
            {
                MinimumRecordsBehind = s.Int("minimumRecordsBehind", 1, 1_000_000_000) ?? d.MinimumRecordsBehind,
                Task = s.Int("task", 0, 1000) ?? d.Task,
                TriggerTimeout = s.Duration("triggerTimeout") ?? d.TriggerTimeout,
                RestartWorker = s.Bool("restartWorker") ?? d.RestartWorker,
            });
        }, () => new CrashAfterOffsetCommit()) { KnownBadIsRed = false },

        new("target-timeout", ["afterTargetRows", "mode", "duration", "triggerTimeout"], s =>
        {
            var d = new TargetTimeoutOptions();
            return new TargetTimeout(new TargetTimeoutOptions
            {
                AfterTargetRows = s.Int("afterTargetRows", 0, 1_000_000_000) ?? d.AfterTargetRows,
                Mode = s.OneOf("mode", "mode", ["next-response", "all-responses"]) switch
                {
                    "all-responses" => TargetTimeoutMode.AllResponses,
                    "next-response" => TargetTimeoutMode.NextResponse,
                    _ => d.Mode,
                },
                Duration = s.Duration("duration") ?? d.Duration,
                TriggerTimeout = s.Duration("triggerTimeout") ?? d.TriggerTimeout,
            });
        }, () => new TargetTimeout()),

        new("offset-commit-timeout", ["afterTargetRows", "failedCommits", "task", "triggerTimeout", "restartWorker"], s =>
        {
            var d = new OffsetCommitTimeoutOptions();
            return new OffsetCommitTimeout(new OffsetCommitTimeoutOptions
            {
                AfterTargetRows = s.Int("afterTargetRows", 0, 1_000_000_000) ?? d.AfterTargetRows,
                FailedCommits = s.Int("failedCommits", 1, 1000) ?? d.FailedCommits,
                Task = s.Int("task", 0, 1000) ?? d.Task,
                TriggerTimeout = s.Duration("triggerTimeout") ?? d.TriggerTimeout,
                RestartWorker = s.Bool("restartWorker") ?? d.RestartWorker,
            });
        }, () => new OffsetCommitTimeout()),

        new("offset-commit-refused", ["afterTargetRows", "error", "duration", "triggerTimeout"], s =>
        {
            var d = new OffsetCommitRefusedOptions();
            return new OffsetCommitRefused(new OffsetCommitRefusedOptions
            {
                AfterTargetRows = s.Int("afterTargetRows", 0, 1_000_000_000) ?? d.AfterTargetRows,
                Error = s.OneOf("error", "refusal error", ["coordinator-load-in-progress", "not-coordinator", "coordinator-not-available"]) switch
                {
                    "not-coordinator" => OffsetCommitRefusal.NotCoordinator,
                    "coordinator-not-available" => OffsetCommitRefusal.CoordinatorNotAvailable,
                    "coordinator-load-in-progress" => OffsetCommitRefusal.CoordinatorLoadInProgress,
                    _ => d.Error,
                },
                Duration = s.Duration("duration") ?? d.Duration,
                TriggerTimeout = s.Duration("triggerTimeout") ?? d.TriggerTimeout,
            });
        }, () => new OffsetCommitRefused()) { KnownBadIsRed = false },

        new("fetch-stall", ["afterTargetRows", "duration", "triggerTimeout"], s =>
        {
            var d = new FetchStallOptions();
            return new FetchStall(new FetchStallOptions
            {
                AfterTargetRows = s.Int("afterTargetRows", 0, 1_000_000_000) ?? d.AfterTargetRows,
                Duration = s.Duration("duration") ?? d.Duration,
                TriggerTimeout = s.Duration("triggerTimeout") ?? d.TriggerTimeout,
            });
        }, () => new FetchStall()) { KnownBadIsRed = false },

        new("rebalance", ["event", "atProgress", "killWhileTargetAhead", "tasksMax", "timeout"], s =>
        {
            var d = new RebalanceOptions();
            return new Rebalance(new RebalanceOptions
            {
                Kind = s.OneOf("event", "rebalance event", ["worker-joins", "worker-dies"]) switch
                {
                    "worker-dies" => RebalanceKind.WorkerDies,
                    "worker-joins" => RebalanceKind.WorkerJoins,
                    _ => d.Kind,
                },
                AtProgress = s.Double("atProgress", 0, 1, maxExclusive: false) ?? d.AtProgress,
                KillWhileTargetAhead = s.Bool("killWhileTargetAhead") ?? d.KillWhileTargetAhead,
                TasksMax = s.Int("tasksMax", 1, 1000) ?? d.TasksMax,
                Timeout = s.Duration("timeout") ?? d.Timeout,
            });
        }, () => new Rebalance(new RebalanceOptions { Kind = RebalanceKind.WorkerDies, KillWhileTargetAhead = true, TasksMax = 1 })),

        new("schema-break", ["poison", "position", "count"], s =>
        {
            var d = new SchemaBreakOptions();
            return new SchemaBreak(new SchemaBreakOptions
            {
                Kind = s.OneOf("poison", "poison kind", ["type-change", "missing-envelope", "garbage-bytes", "too-long-for-column", "null-in-not-null-column", "out-of-range-number"]) switch
                {
                    "missing-envelope" => PoisonKind.MissingEnvelope,
                    "garbage-bytes" => PoisonKind.GarbageBytes,
                    "type-change" => PoisonKind.TypeChange,
                    "too-long-for-column" => PoisonKind.TooLongForColumn,
                    "null-in-not-null-column" => PoisonKind.NullInNotNullColumn,
                    "out-of-range-number" => PoisonKind.OutOfRangeNumber,
                    _ => d.Kind,
                },
                Position = s.Double("position", 0, 1, maxExclusive: true) ?? d.Position,
                Count = s.Int("count", 1, 1_000_000) ?? d.Count,
            });
        }, () => new SchemaBreak()),

        new("replay", ["method", "rewindBy", "timeout"], s =>
        {
            var d = new ReplayOptions();
            return new Replay(new ReplayOptions
            {
                Method = ReadResetMethod(s) ?? d.Method,
                RewindBy = s.Int("rewindBy", 1, int.MaxValue) ?? d.RewindBy,
                Timeout = s.Duration("timeout") ?? d.Timeout,
            });
        }, () => new Replay()),
    ];

    /// <summary>Gets the built-in failure cases that measure the platform rather than the sink: every sink comes out red under them by design, so they are left out of the known-answer matrix and the connector-semantics row, and a scenario file names them explicitly.</summary>
    /// <value>Replay beyond retention.</value>
    public static IReadOnlyList<FaultDefinition> Measurements { get; } =
    [
        new("replay-beyond-retention", ["deletedShare", "rebuildTarget", "method", "timeout"], s =>
        {
            var d = new ReplayBeyondRetentionOptions();
            return new ReplayBeyondRetention(new ReplayBeyondRetentionOptions
            {
                DeletedShare = s.Double("deletedShare", 0.001, 1, maxExclusive: true) ?? d.DeletedShare,
                RebuildTarget = s.Bool("rebuildTarget") ?? d.RebuildTarget,
                Method = ReadResetMethod(s) ?? d.Method,
                Timeout = s.Duration("timeout") ?? d.Timeout,
            });
        }, () => new ReplayBeyondRetention()),
    ];

    /// <summary>Gets the names a scenario file may give <c>fault.kind</c>: the matrix's failure cases, then the measurements.</summary>
    /// <value>The names of <see cref="Definitions"/> and <see cref="Measurements"/>.</value>
    public static IReadOnlyList<string> KindNames { get; } = [.. Definitions.Concat(Measurements).Select(d => d.Name)];

    /// <summary>Gets the names of the built-in failure cases in matrix order.</summary>
    /// <value>The <see cref="FaultDefinition.Name"/> of each of <see cref="Definitions"/>.</value>
    public static IReadOnlyList<string> Names { get; } = [.. Definitions.Select(d => d.Name)];

    /// <summary>Finds a failure case (of the matrix or a measurement) by its name.</summary>
    /// <param name="name">The fault's report name, e.g. <c>target-timeout</c>.</param>
    /// <returns>The definition, or <see langword="null"/> when no built-in failure case has that name.</returns>
    public static FaultDefinition? Find(string name) => Definitions.Concat(Measurements).FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));

    private static ReplayResetMethod? ReadResetMethod(IFaultSettings settings) =>
        settings.OneOf("method", "reset method", ["automatic", "offsets-api", "consumer-group"]) switch
        {
            "offsets-api" => ReplayResetMethod.OffsetsApi,
            "consumer-group" => ReplayResetMethod.ConsumerGroup,
            "automatic" => ReplayResetMethod.Automatic,
            _ => null,
        };
}
