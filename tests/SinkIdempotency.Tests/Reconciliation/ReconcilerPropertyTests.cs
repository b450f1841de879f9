using CsCheck;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;
using static SinkIdempotency.Tests.Reconciliation.Records;

namespace SinkIdempotency.Tests.Reconciliation;

/// <summary>Injects known defects into a correct target and checks that the report finds exactly those, no more.</summary>
public sealed class ReconcilerPropertyTests
{
    private static readonly Reconciler Reconciler = new(new ReconcilerOptions { MaxExamplesPerAnomaly = 1000 });

    /// <summary>A random event workload: partitions of random length, everything committed, and defects to inject.</summary>
    private static readonly Gen<(int[] Lengths, int Seed, int Drop, int Duplicate, int Unknown)> EventCase =
        Gen.Select(Gen.Int[1, 200].Array[1, 4], Gen.Int, Gen.Int[0, 20], Gen.Int[0, 20], Gen.Int[0, 10]);

    private static readonly Gen<(int Keys, int MaxVersions, int Seed, int Stale, int Drop, int Unknown)> UpsertCase =
        Gen.Select(Gen.Int[1, 150], Gen.Int[1, 5], Gen.Int, Gen.Int[0, 20], Gen.Int[0, 20], Gen.Int[0, 10]);

    [Fact]
    public void Reconcile_RandomEventDefects_FindsExactlyTheInjectedOnes()
    {
        EventCase.Sample(c =>
        {
            var random = new Random(c.Seed);
            var ledger = c.Lengths.SelectMany((length, partition) => Sequence(length, partition)).ToList();
            var shuffled = ledger.OrderBy(_ => random.Next()).ToList();
            var drop = Math.Min(c.Drop, ledger.Count);
            var dropped = shuffled.Take(drop).ToHashSet();
            var duplicated = shuffled.Skip(drop).Take(c.Duplicate).ToList();
            var copies = duplicated.ToDictionary(e => e, _ => random.Next(1, 4));
            var rows = ledger.Where(e => !dropped.Contains(e)).Select(Row).ToList();
            rows.AddRange(duplicated.SelectMany(e => Enumerable.Repeat(Row(e), copies[e])));
            rows.AddRange(Enumerable.Range(0, c.Unknown).Select(i => new TargetRow($"unknown-{i}")));
            rows = [.. rows.OrderBy(_ => random.Next())];
            var input = new ReconciliationInput
            {
                Ledger = ledger,
                Semantics = DeclaredSemantics.AtLeastOnce,
                CommittedOffsets = c.Lengths.Select((length, p) => (p, (long)length)).ToDictionary(x => new SourcePartition(Topic, x.p), x => x.Item2),
            };

            var report = Reconciler.Reconcile(input, rows);

            report[AnomalyKind.Lost].Examples.Select(e => e.EventId).Should().BeEquivalentTo(dropped.Select(e => e.EventId));
            report[AnomalyKind.Duplicated].Examples.Select(e => e.EventId).Should().BeEquivalentTo(duplicated.Select(e => e.EventId));
            report[AnomalyKind.Duplicated].ExtraRows.Should().Be(copies.Values.Sum());
            report[AnomalyKind.Unexpected].Count.Should().Be(c.Unknown);
            report.Anomalies.Where(a => a.Kind is not (AnomalyKind.Lost or AnomalyKind.Duplicated or AnomalyKind.Unexpected))
                .Should().OnlyContain(a => a.Count == 0);
            report.InTarget.Should().Be(ledger.Count - drop);
            report.Verdict.Should().Be(drop + c.Unknown > 0 ? Verdict.Red : duplicated.Count > 0 ? Verdict.Yellow : Verdict.Green);
        }, iter: 300);
    }

    [Fact]
    public void Reconcile_RandomUpsertDefects_FindsExactlyTheInjectedOnes()
    {
        UpsertCase.Sample(c =>
        {
            var random = new Random(c.Seed);
            var ledger = new List<LedgerEntry>();
            for (var k = 0; k < c.Keys; k++)
            {
                var versions = random.Next(1, c.MaxVersions + 1);
                for (var v = 1; v <= versions; v++)
                {
                    var partition = k % 3;
                    ledger.Add(Entry(partition, ledger.Count(e => e.Partition == partition), $"key-{k}", v));
                }
            }

            var byKey = ledger.GroupBy(e => e.Key!).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Version).ToList());
            var keys = byKey.Keys.OrderBy(_ => random.Next()).ToList();
            var staleKeys = keys.Where(k => byKey[k].Count > 1).Take(c.Stale).ToHashSet();
            var droppedKeys = keys.Where(k => !staleKeys.Contains(k)).Take(c.Drop).ToHashSet();
            var rows = new List<TargetRow>();
            foreach (var (key, versions) in byKey)
            {
                if (droppedKeys.Contains(key))
                {
                    continue;
                }

                // A stale key ends with a random older version; a good key with its newest version.
                var winner = staleKeys.Contains(key) ? versions[random.Next(versions.Count - 1)] : versions[^1];
                rows.Add(Row(winner));
            }

            rows.AddRange(Enumerable.Range(0, c.Unknown).Select(i => new TargetRow($"unknown-{i}", $"key-x{i}", 1)));
            var input = new ReconciliationInput
            {
                Ledger = ledger,
                Semantics = DeclaredSemantics.UpsertByKey,
                CommittedOffsets = ledger.GroupBy(e => e.SourcePartition).ToDictionary(g => g.Key, g => g.Max(e => e.Offset) + 1),
            };

            var report = Reconciler.Reconcile(input, rows.OrderBy(_ => random.Next()));

            report[AnomalyKind.Stale].Examples.Select(e => e.Key).Should().BeEquivalentTo(staleKeys);
            report[AnomalyKind.Lost].Examples.Select(e => e.Key).Distinct().Should().BeEquivalentTo(droppedKeys);
            report[AnomalyKind.Lost].Count.Should().Be(droppedKeys.Sum(k => byKey[k].Count));
            report[AnomalyKind.Unexpected].Count.Should().Be(c.Unknown);
            report.Anomalies.Where(a => a.Kind is not (AnomalyKind.Lost or AnomalyKind.Stale or AnomalyKind.Unexpected))
                .Should().OnlyContain(a => a.Count == 0);
            report.Superseded.Should().Be(byKey.Where(kv => !droppedKeys.Contains(kv.Key) && !staleKeys.Contains(kv.Key)).Sum(kv => kv.Value.Count - 1)
                + staleKeys.Sum(k => rows.Count(r => r.Key == k) == 1 ? byKey[k].Count(e => e.Version < rows.First(r => r.Key == k).Version) : 0));
        }, iter: 300);
    }
}
