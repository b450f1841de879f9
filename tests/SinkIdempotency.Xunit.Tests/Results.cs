using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Xunit.Tests;

/// <summary>Builds scenario results from real reconciliations of small ledgers.</summary>
internal static class Results
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static LedgerEntry Entry(long offset, bool poison = false) =>
        new($"e{offset}", "t", 0, offset, null, null, ValueHash.Compute($"v{offset}"), Epoch) { Poison = poison };

    public static TargetRow Row(LedgerEntry entry) => new(entry.EventId, ValueHash: entry.ValueHash);

    /// <summary>Five records e0..e4, all committed; <paramref name="rows"/> says which rows the target holds.</summary>
    public static ScenarioResult Make(
        IEnumerable<TargetRow> rows,
        DeclaredSemantics semantics = DeclaredSemantics.ExactlyOnceEffect,
        ScenarioOutcome outcome = ScenarioOutcome.Settled,
        IReadOnlyList<LedgerEntry>? ledger = null,
        IReadOnlyCollection<DeadLetterRecord>? deadLetters = null,
        IReadOnlyList<string>? reasons = null,
        string? evidencePath = "/tmp/evidence.json")
    {
        ledger ??= [.. Enumerable.Range(0, 5).Select(i => Entry(i))];
        var report = new Reconciler().Reconcile(
            new ReconciliationInput
            {
                Ledger = ledger,
                Semantics = semantics,
                CommittedOffsets = new Dictionary<SourcePartition, long> { [new("t", 0)] = ledger.Count },
                DeadLetters = deadLetters ?? [],
            },
            rows);
        return new ScenarioResult
        {
            Scenario = "orders",
            RunId = "ab12cd34",
            Environment = "embedded",
            Fault = "crash-after-target-write",
            Semantics = semantics,
            Outcome = outcome,
            Verdict = outcome is ScenarioOutcome.NoConvergence or ScenarioOutcome.FaultNotInjected ? Verdict.Red : report.Verdict,
            Reasons = reasons ?? [],
            Report = report,
            Evidence = new EvidenceTimeline(),
            EvidencePath = evidencePath,
            Duration = TimeSpan.FromSeconds(2),
        };
    }

    public static ScenarioResult Clean() => Make(Enumerable.Range(0, 5).Select(i => Row(Entry(i))));

    /// <summary>e1 duplicated (3 rows), e3 missing.</summary>
    public static ScenarioResult DuplicatedAndLost() =>
        Make([Row(Entry(0)), Row(Entry(1)), Row(Entry(1)), Row(Entry(1)), Row(Entry(2)), Row(Entry(4))]);

    public static ScenarioResult Skipped() => new()
    {
        Scenario = "orders",
        RunId = "ab12cd34",
        Environment = "external",
        Fault = "crash-after-target-write",
        Semantics = DeclaredSemantics.ExactlyOnceEffect,
        Outcome = ScenarioOutcome.Skipped,
        Verdict = null,
        SkipReason = "CrashAfterTargetWrite needs KillWorker.",
        Evidence = new EvidenceTimeline(),
        Duration = TimeSpan.Zero,
    };
}
