using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SinkIdempotency.Embedded;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Benchmarks;

/// <summary>
/// Times reconciliation of N produced records against an N-row PostgreSQL table: end to end (binary COPY read + diff),
/// the in-memory diff alone, and the same checks done inside PostgreSQL (ledger loaded with COPY, anti-join, GROUP BY).
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/SinkIdempotency.Benchmarks -- reconcile [records] [runs]</c>
/// (defaults 1000000 and 5), <c>start</c> (local PostgreSQL start times), <c>default-run [runs] [busy]</c> (the tool's default run, see <see cref="DefaultRunBenchmark"/>), or <c>hold-postgres</c> (starts a server and
/// waits, for checking that it dies with this process when killed).
/// </remarks>
internal static class BenchmarkCommand
{
    private const int Partitions = 8;
    private const int Dropped = 1_000;
    private const int Duplicated = 1_000;
    private const int Unknown = 100;
    private const int Unseen = 500;

    public static async Task<int> RunAsync(string[] args)
    {
        var mode = args.FirstOrDefault() ?? "reconcile";
        switch (mode)
        {
            case "reconcile":
                var records = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
                var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
                await ReconcileAsync(records, runs);
                return 0;
            case "start":
                await StartTimesAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
                return 0;
            case "profile":
                Profile.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000, 5);
                return 0;
            case "env-start":
                await EnvironmentStartBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
                return 0;
            case "harness":
                return await HarnessBenchmark.RunAsync(
                    args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5,
                    args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2);
            case "default-run":
                return await DefaultRunBenchmark.RunAsync(
                    args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1,
                    args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0,
                    [.. args.Skip(3)]);
            case "crash-baseline":
                return await HarnessBenchmark.CrashBaselineAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10);
            case "hold-postgres":
                await HoldAsync();
                return 0;
            default:
                Console.Error.WriteLine("usage: reconcile [records] [runs] | start [runs] | harness [repetitions] [busy] | default-run [runs] [busy] [run arguments…] | crash-baseline [kills] | hold-postgres");
                return 2;
        }
    }

    private static async Task StartTimesAsync(int runs)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var server = await new LocalPostgreSqlBuilder().StartAsync();
            times.Add(watch.Elapsed.TotalMilliseconds);
            Console.WriteLine($"start {i + 1}: {watch.Elapsed.TotalMilliseconds:0} ms (PostgreSQL {server.Version}, port {server.Port})");
        }

        Console.WriteLine($"start: best {times.Min():0} ms, median {Median(times):0} ms, worst {times.Max():0} ms");
    }

    private static async Task HoldAsync()
    {
        await using var server = await new LocalPostgreSqlBuilder().StartAsync();
        Console.WriteLine($"pid={Environment.ProcessId} postmaster={server.ServerProcessId} instance={server.InstanceDirectory}");
        await Task.Delay(Timeout.InfiniteTimeSpan);
    }

    private static async Task ReconcileAsync(int records, int runs)
    {
        Console.WriteLine($"records={records} partitions={Partitions} runs={runs} cores={Environment.ProcessorCount} load={File.ReadAllText("/proc/loadavg").Trim()}");
        await using var server = await new LocalPostgreSqlBuilder().WithServerSetting("max_wal_size", "4GB").StartAsync();
        var dataSource = server.DataSource;
        var ledger = Workload.CreateLedger(records, Partitions);
        var plan = new DefectPlan(ledger, Dropped, Duplicated, Unknown, Unseen);
        var input = new ReconciliationInput
        {
            Ledger = ledger,
            Semantics = DeclaredSemantics.ExactlyOnceEffect,
            CommittedOffsets = plan.CommittedOffsets,
        };

        var load = Stopwatch.StartNew();
        await Execute(dataSource, "CREATE TABLE target (event_id text, key text, version bigint, value_hash bigint)");
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var writer = await connection.BeginBinaryImportAsync("COPY target FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in plan.TargetRows())
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(row.EventId, NpgsqlDbType.Text);
                await writer.WriteAsync(row.Key, NpgsqlDbType.Text);
                await writer.WriteAsync(row.Version!.Value, NpgsqlDbType.Bigint);
                await writer.WriteAsync(unchecked((long)row.ValueHash!.Value), NpgsqlDbType.Bigint);
            }

            await writer.CompleteAsync();
        }

        await Execute(dataSource, "VACUUM ANALYZE target");
        Console.WriteLine($"target table loaded: {await Scalar(dataSource, "SELECT count(*) FROM target")} rows in {load.Elapsed.TotalSeconds:0.00} s (not timed below)");

        var reader = new PostgreSqlTableReader(dataSource, new PostgreSqlTableMapping
        {
            Table = "target",
            KeyColumn = "key",
            VersionColumn = "version",
            ValueHashColumn = "value_hash",
        });
        var reconciler = new Reconciler();
        var cpu = new CpuClock(server.ServerProcessId);

        var endToEnd = new List<double>();
        var endToEndCpu = new List<double>();
        var endToEndServerCpu = new List<double>();
        ReconciliationReport? report = null;
        for (var run = 0; run < runs; run++)
        {
            Collect();
            var before = cpu.Now();
            var watch = Stopwatch.StartNew();
            report = await reconciler.ReconcileAsync(input, reader);
            endToEnd.Add(watch.Elapsed.TotalSeconds);
            var after = cpu.Now();
            endToEndCpu.Add(after.Client - before.Client);
            endToEndServerCpu.Add(after.Server - before.Server);
        }

        var peakAfterEndToEnd = PeakRssMegabytes();
        Check(report!, plan);
        Print("end to end (binary COPY read + diff)", endToEnd);
        Print("  CPU time, harness process", endToEndCpu);
        Print("  CPU time, PostgreSQL server (COPY TO)", endToEndServerCpu);
        Console.WriteLine($"peak RSS after end-to-end runs: {peakAfterEndToEnd:0} MB (includes the 1M-entry ledger and the table load)");

        var rows = plan.TargetRows().ToArray();
        var inMemory = new List<double>();
        var inMemoryCpu = new List<double>();
        for (var run = 0; run < runs * 2; run++)
        {
            Collect();
            var before = cpu.Now();
            var watch = Stopwatch.StartNew();
            var memoryReport = reconciler.Reconcile(input, rows);
            inMemory.Add(watch.Elapsed.TotalSeconds);
            inMemoryCpu.Add(cpu.Now().Client - before.Client);
            Check(memoryReport, plan);
        }

        Print("in-memory diff", inMemory);
        Print("  CPU time", inMemoryCpu);
        Console.WriteLine($"peak RSS after in-memory runs: {PeakRssMegabytes():0} MB (adds the {rows.Length} materialised rows)");

        var upsertInput = input with { Semantics = DeclaredSemantics.UpsertByKey };
        var upsert = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            Collect();
            var watch = Stopwatch.StartNew();
            reconciler.Reconcile(upsertInput, rows);
            upsert.Add(watch.Elapsed.TotalSeconds);
        }

        Print("in-memory diff, upsert-by-key matching", upsert);

        var baseline = await PostgreSqlBaseline.RunAsync(dataSource, ledger, plan, runs, cpu);
        Print("PostgreSQL baseline: ledger COPY", baseline.Load);
        Print("PostgreSQL baseline: checks (anti-joins + GROUP BY)", baseline.Queries);
        Print("  CPU time of the checks, PostgreSQL server", baseline.QueriesServerCpu);
        Console.WriteLine($"CPU ratio: baseline checks (server) / harness end to end (client + server), best: {baseline.QueriesServerCpu.Min() / endToEndCpu.Zip(endToEndServerCpu, (a, b) => a + b).Min():0.00}x");
        var baselineTotal = baseline.Load.Zip(baseline.Queries, (a, b) => a + b).ToList();
        Print("PostgreSQL baseline: total", baselineTotal);
        Console.WriteLine($"ratio baseline total / harness end to end (best): {baselineTotal.Min() / endToEnd.Min():0.00}x");
        Console.WriteLine($"ratio baseline checks only / harness end to end (best): {baseline.Queries.Min() / endToEnd.Min():0.00}x");
        Console.WriteLine($"peak RSS at the end: {PeakRssMegabytes():0} MB; load={File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static void Check(ReconciliationReport report, DefectPlan plan)
    {
        var expected = new Dictionary<AnomalyKind, long>
        {
            [AnomalyKind.Lost] = plan.DroppedCount,
            [AnomalyKind.Duplicated] = plan.DuplicatedCount,
            [AnomalyKind.Unexpected] = plan.UnknownCount,
            [AnomalyKind.Unseen] = plan.UnseenCount,
        };
        foreach (var anomaly in report.Anomalies)
        {
            var want = expected.GetValueOrDefault(anomaly.Kind);
            if (anomaly.Count != want)
            {
                throw new InvalidOperationException($"{anomaly.Kind.ToName()}: found {anomaly.Count}, injected {want}");
            }
        }
    }

    private static void Print(string what, List<double> seconds) =>
        Console.WriteLine($"{what}: best {seconds.Min():0.000} s, median {Median(seconds):0.000} s, worst {seconds.Max():0.000} s ({string.Join(", ", seconds.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))})");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double PeakRssMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    internal static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<object?> Scalar(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        return await command.ExecuteScalarAsync();
    }
}
