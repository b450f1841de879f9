using System.Diagnostics;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Benchmarks;

/// <summary>Times the phases of the in-memory diff (index build, row consumption, classification) to show where time goes.</summary>
internal static class Profile
{
    public static void Run(int records, int runs)
    {
        var ledger = Workload.CreateLedger(records, 8);
        var plan = new DefectPlan(ledger, 1_000, 1_000, 100, 500);
        var rows = plan.TargetRows().ToArray();
        foreach (var comparer in new IEqualityComparer<string>[] { StringComparer.Ordinal, new XxComparer() })
        {
            for (var r = 0; r < 3; r++)
            {
                var w = Stopwatch.StartNew();
                var d = new Dictionary<string, int>(comparer);
                foreach (var e in ledger)
                {
                    if (!d.TryGetValue(e.Key!, out _))
                    {
                        d.Add(e.Key!, d.Count);
                    }
                }

                Console.WriteLine($"keys {comparer.GetType().Name}: {w.Elapsed.TotalMilliseconds:0} ms for {d.Count} keys");
            }
        }

        foreach (var semantics in new[] { DeclaredSemantics.ExactlyOnceEffect, DeclaredSemantics.UpsertByKey })
        {
            var input = new ReconciliationInput { Ledger = ledger, Semantics = semantics, CommittedOffsets = plan.CommittedOffsets };
            for (var run = 0; run < runs; run++)
            {
                GC.Collect();
                var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) * 1000 + GC.CollectionCount(2) * 1_000_000;
                var watch = Stopwatch.StartNew();
                var engine = new ReconciliationEngine(input, new ReconcilerOptions());
                var build = watch.Elapsed.TotalMilliseconds;
                foreach (ref readonly var row in rows.AsSpan())
                {
                    engine.Add(row);
                }

                var add = watch.Elapsed.TotalMilliseconds;
                engine.Finish("rows", DateTimeOffset.UtcNow);
                var finish = watch.Elapsed.TotalMilliseconds;
                var gcAfter = GC.CollectionCount(0) + GC.CollectionCount(1) * 1000 + GC.CollectionCount(2) * 1_000_000;
                Console.WriteLine($"{semantics}: index {build:0} ms, rows {add - build:0} ms, classify {finish - add:0} ms, total {finish:0} ms, gc(g2*1e6+g1*1e3+g0) +{gcAfter - gcBefore}");
            }
        }
    }

    private sealed class XxComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj) => (int)System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
    }
}
