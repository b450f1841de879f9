using SinkIdempotency.Assessment;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Assessment;

/// <summary>Builds assessed runs by hand: one scenario per failure case with the reference fault, and a result with the given verdict and anomalies.</summary>
internal static class AssessedRuns
{
    public static readonly IReadOnlyDictionary<string, string> Upsert = new Dictionary<string, string>
    {
        ["connector.class"] = "io.confluent.connect.jdbc.JdbcSinkConnector",
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "record_key",
    };

    /// <summary>Runs every failure case of the catalog for one connector; <paramref name="verdict"/> decides each case's verdict (null: skipped).</summary>
    public static List<AssessedRun> EveryCase(string connector, Func<string, Verdict?> verdict, IReadOnlyDictionary<string, string>? config = null) =>
        [.. FaultCatalog.Definitions.Select(d => Run(connector, d.Name, verdict(d.Name), config: config))];

    public static AssessedRun Run(string connector, string fault, Verdict? verdict, long duplicated = 0, IReadOnlyDictionary<string, string>? config = null, EvidenceTimeline? evidence = null)
    {
        var scenario = Scenario.Named($"{connector}-{fault}").WithConnector(config ?? Upsert).WithFault(FaultCatalog.Find(fault)!.Reference());
        return new AssessedRun(connector, scenario, Result(scenario, verdict, duplicated, evidence));
    }

    public static AssessedRun Failed(string connector, string fault, string error)
    {
        var scenario = Scenario.Named($"{connector}-{fault}").WithConnector(Upsert).WithFault(FaultCatalog.Find(fault)!.Reference());
        return new AssessedRun(connector, scenario, null, error);
    }

    public static ScenarioResult Result(Scenario scenario, Verdict? verdict, long duplicated = 0, EvidenceTimeline? evidence = null)
    {
        var anomalies = Enum.GetValues<AnomalyKind>()
            .Select(kind => new AnomalySummary(kind, kind == AnomalyKind.Duplicated ? duplicated : 0, 0, false, []))
            .ToList();
        return new ScenarioResult
        {
            Scenario = scenario.Name,
            RunId = "run1",
            Environment = "test",
            Fault = scenario.Fault?.Name ?? "none",
            Semantics = scenario.Semantics,
            Outcome = verdict is null ? ScenarioOutcome.Skipped : ScenarioOutcome.Settled,
            Verdict = verdict,
            SkipReason = verdict is null ? "the environment cannot kill workers" : null,
            Report = verdict is null ? null : new ReconciliationReport
            {
                Semantics = scenario.Semantics,
                Verdict = verdict.Value,
                GeneratedAt = DateTimeOffset.UnixEpoch,
                Target = "test",
                Produced = 1000,
                TargetRows = 1000 + duplicated,
                TargetChecksum = 0,
                InTarget = 1000,
                Superseded = 0,
                DeadLetterRecords = 0,
                UnmatchedDeadLetters = 0,
                Anomalies = anomalies,
                Partitions = [],
            },
            Evidence = evidence ?? new EvidenceTimeline(),
            Duration = TimeSpan.FromSeconds(1),
        };
    }
}
