using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Benchmarks;

/// <summary>
/// Times the command-line tool's default <c>run</c> (the built-in matrix on the embedded environment, every column, the
/// default lanes) as a user runs it, and checks every cell against its known answer: wall time, when the first cell
/// started and the last one ended, time per step summed over the cells, peak memory of the tool and of everything it
/// started, CPU time, and the load average before and after.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/SinkIdempotency.Benchmarks -- default-run [runs=1] [busy=0] [extra run arguments…]</c>
/// (busy: CPU-bound <c>sh</c> loops started beside the runs and stopped at the end). It runs
/// <c>SinkIdempotency.Cli.dll run --out DIR</c> from the build output beside this benchmark. Exit code 1 when any cell
/// disagrees with its known answer.
/// </remarks>
internal static class DefaultRunBenchmark
{
    // The known-bad column of each reference pair: red where the failure case opens its window; the other column never red.
    private static readonly HashSet<string> KnownBadColumns = new(StringComparer.Ordinal) { "postgres-insert", "files-append", "http-plain", "mysql-insert" };

    public static async Task<int> RunAsync(int runs, int busy, IReadOnlyList<string> extraArguments)
    {
        var cli = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "SinkIdempotency.Cli", "release", "SinkIdempotency.Cli.dll"));
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"default-run: {cli} does not exist; build the solution in Release first (dotnet build SinkIdempotency.sln -c Release).");
            return 2;
        }

        Console.WriteLine($"default-run: runs={runs} busy={busy} cores={Environment.ProcessorCount} load={LoadAverage()} arguments='run {string.Join(' ', extraArguments)}'");
        var loops = HarnessBenchmark.StartBusyLoops(busy);
        var failed = false;
        var walls = new List<double>();
        try
        {
            for (var run = 1; run <= runs; run++)
            {
                var (ok, wall) = await RunOnceAsync(cli, run, extraArguments);
                failed |= !ok;
                walls.Add(wall);
            }
        }
        finally
        {
            HarnessBenchmark.StopBusyLoops(loops);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"default-run: wall best {walls.Min():0.0} s, worst {walls.Max():0.0} s over {runs} run(s); load={LoadAverage()}; {(failed ? "SOME CELL DISAGREED" : "every cell agreed")}"));
        return failed ? 1 : 0;
    }

    private static async Task<(bool Ok, double Wall)> RunOnceAsync(string cli, int run, IReadOnlyList<string> extraArguments)
    {
        var output = Path.Combine(Path.GetTempPath(), "sinkidempotency-default-run-" + Guid.NewGuid().ToString("N")[..8]);
        var loadBefore = LoadAverage();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { cli, "run", "--out", output }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            var startedAt = DateTimeOffset.UtcNow;
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            long peakTree = 0, peakTool = 0;
            var cpuTicks = new Dictionary<int, long>();
            while (!process.WaitForExit(200))
            {
                var (tree, tool) = Sample(process.Id, cpuTicks);
                peakTree = Math.Max(peakTree, tree);
                peakTool = Math.Max(peakTool, tool);
            }

            await process.WaitForExitAsync();
            var wall = watch.Elapsed.TotalSeconds;
            var endedAt = DateTimeOffset.UtcNow;
            var cpu = cpuTicks.Values.Sum() / ProcStat.TicksPerSecond;
            var text = await stdout;
            var lanes = text.Split('\n').FirstOrDefault(l => l.Contains(" lane(s) (", StringComparison.Ordinal))?.Trim() ?? "(no lanes line)";
            var summary = text.Split('\n').LastOrDefault(l => l.Contains(" run(s) on ", StringComparison.Ordinal))?.Trim() ?? "(no summary line)";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run}: exit {process.ExitCode}, wall {wall:0.0} s, load before {loadBefore}, after {LoadAverage()}"));
            Console.WriteLine($"  {lanes}");
            Console.WriteLine($"  {summary}");
            var scorecard = Path.Combine(output, "scorecard.json");
            if (!File.Exists(scorecard))
            {
                Console.WriteLine("  no scorecard.json; stderr:\n" + await stderr);
                return (false, wall);
            }

            var ok = Check(scorecard, output, startedAt, endedAt);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  peak RSS: tool {peakTool / 1024.0:0} MB, tool and everything it started (workers, PostgreSQL, MariaDB) {peakTree / 1024.0:0} MB; CPU time of the tool and everything it started, sampled every 200 ms, {cpu:0.0} s"));
            if (await stderr is { Length: > 0 } errors)
            {
                Console.WriteLine("  stderr: " + errors.Trim().Replace("\n", "\n  stderr: ", StringComparison.Ordinal));
            }

            return (ok && process.ExitCode is 0 or 1, wall);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    // Every cell against its known answer, and where the run's time went.
    private static bool Check(string scorecardPath, string output, DateTimeOffset startedAt, DateTimeOffset endedAt)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(scorecardPath));
        var mustBeRed = ReferenceMatrix.Scenarios.Where(s => s.Column == ReferenceMatrix.InsertColumn)
            .ToDictionary(s => s.Scenario.Fault!.Name, s => s.MustBeRed, StringComparer.Ordinal);
        int agreed = 0, total = 0, notApplicable = 0, ranAgain = 0;
        var stepTotals = new Dictionary<string, double>(StringComparer.Ordinal);
        DateTimeOffset? firstStart = null, lastEnd = null;
        var durations = new List<double>();
        foreach (var cell in document.RootElement.GetProperty("scenarios").EnumerateArray())
        {
            total++;
            var name = cell.GetProperty("name").GetString()!;
            var fault = cell.GetProperty("fault").GetString()!;
            var column = cell.GetProperty("connector").GetString()!;
            var verdict = cell.GetProperty("verdict").GetString()!;
            var expectRed = KnownBadColumns.Contains(column) && mustBeRed.GetValueOrDefault(fault);
            bool ok;
            if (verdict == "not-applicable")
            {
                // A target that cannot take part in a failure case says so; it is listed, not counted as a verdict.
                notApplicable++;
                ok = true;
                Console.WriteLine($"  n/a  {name}: {string.Join(' ', cell.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()))}");
            }
            else
            {
                ok = verdict is "red" or "green" or "yellow" && (verdict == "red") == expectRed;
                durations.Add(cell.GetProperty("durationMs").GetDouble() / 1000);
            }

            agreed += ok ? 1 : 0;
            if (cell.GetProperty("reasons").EnumerateArray().Any(r => r.GetString()?.StartsWith("Ran again alone", StringComparison.Ordinal) == true))
            {
                ranAgain++;
                Console.WriteLine($"  ran again alone: {name} ({verdict})");
            }

            if (!ok)
            {
                Console.WriteLine($"  DISAGREE {name}: {verdict}, expected {(expectRed ? "red" : "not red")}: {cell.GetProperty("headline").GetString()}");
            }

            if (cell.TryGetProperty("evidence", out var evidence) && evidence.GetString() is { } path && File.Exists(Path.Combine(output, path)))
            {
                var (from, to) = Steps(Path.Combine(output, path), stepTotals);
                firstStart = firstStart is null || from < firstStart ? from : firstStart;
                lastEnd = lastEnd is null || to > lastEnd ? to : lastEnd;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  agreement: {agreed}/{total} cells at their known answer ({total - notApplicable} verdicts, {notApplicable} n/a; {ranAgain} ran again alone after the fault could not be injected beside the other lanes)"));
        if (firstStart is { } first && lastEnd is { } last)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  phases: start to first cell {(first - startedAt).TotalSeconds:0.0} s, cells {(last - first).TotalSeconds:0.0} s, last cell to exit {(endedAt - last).TotalSeconds:0.0} s"));
        }

        if (durations.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cells: sum {durations.Sum():0.0} s, mean {durations.Average():0.0} s, longest {durations.Max():0.0} s"));
        }

        Console.WriteLine("  time per step, summed over the cells: " + string.Join(", ", stepTotals.OrderByDescending(kv => kv.Value).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.0} s"))));
        return agreed == total;
    }

    // Adds each step's time (from its start to the next step's start) and returns when the cell started and ended.
    private static (DateTimeOffset From, DateTimeOffset To) Steps(string evidencePath, Dictionary<string, double> totals)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(evidencePath));
        var events = document.RootElement.GetProperty("events").EnumerateArray()
            .Select(e => (At: e.GetProperty("at").GetDateTimeOffset(), Step: e.TryGetProperty("step", out var s) ? s.GetString() ?? "?" : "?"))
            .ToList();
        for (var i = 0; i + 1 < events.Count; i++)
        {
            totals[events[i].Step] = totals.GetValueOrDefault(events[i].Step) + (events[i + 1].At - events[i].At).TotalSeconds;
        }

        return (events.Min(e => e.At), events.Max(e => e.At));
    }

    // Resident memory in KiB of a process and of all its descendants (the tool's workers, PostgreSQL and MariaDB), and the
    // CPU time (user + system, in clock ticks) each of them has used so far.
    private static (long Tree, long Tool) Sample(int root, Dictionary<int, long> cpuTicks)
    {
        var all = ProcStat.All().ToDictionary(p => p.Pid);
        long tree = 0;
        foreach (var stat in all.Values)
        {
            for (var p = stat.Pid; p > 1 && all.TryGetValue(p, out var ancestor); p = ancestor.Parent)
            {
                if (p == root)
                {
                    tree += stat.RssKilobytes;
                    cpuTicks[stat.Pid] = stat.CpuTicks;
                    break;
                }
            }
        }

        return (tree, all.TryGetValue(root, out var tool) ? tool.RssKilobytes : 0);
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
