using System.Diagnostics;
using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.IntegrationTests;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Benchmarks;

/// <summary>
/// Runs the known-answer matrix end to end on the embedded environment, repeatedly, with CPU-bound processes beside it:
/// the twelve reference scenarios (six failure cases × must-be-red / must-not-be-red) and the crash-window test sinks
/// (a sink that commits before writing, one that drops its buffer on revocation, an idempotent one under both crashes and both rebalance events, a
/// write-behind one). Reports agreement with the known answer, kills that landed inside their window (and on a frozen
/// worker), joins that landed mid-stream, and wall time per scenario; <c>crash-baseline</c> measures the window share
/// of a naive kill after a random delay.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/SinkIdempotency.Benchmarks -- harness [repetitions=5] [busy=2]</c>
/// (busy: CPU-bound <c>sh</c> loops the benchmark starts beside the run and stops at the end) and
/// <c>… -- crash-baseline [kills=10]</c>.
/// </remarks>
internal static class HarnessBenchmark
{
    public static async Task<int> RunAsync(int repetitions, int busy)
    {
        Console.WriteLine($"harness: repetitions={repetitions} busy={busy} cores={Environment.ProcessorCount} load={File.ReadAllText("/proc/loadavg").Trim()}");
        var answers = ReferenceMatrix.Scenarios.Select(s => (s.Scenario, Expected: s.MustBeRed ? Expected.Red : Expected.NotRed))
            .Concat(WindowSinkScenarios.KnownAnswers.Select(k => (k.Scenario, Expected: k.MustBeRedWithLoss ? Expected.RedWithLoss : Expected.NotRed)))
            .ToList();
        var loops = StartBusyLoops(busy);
        try
        {
            var start = Stopwatch.StartNew();
            await using var environment = await SinkScenarioDriver.CreateAsync(
                await ReferenceMatrix.EnvironmentBuilder().WithPluginPath(WindowSinkScenarios.PluginFolder).StartAsync(),
                ownsEnvironment: true);
            Console.WriteLine($"environment start: {start.Elapsed.TotalSeconds:0.0} s");
            var runner = new ScenarioRunner(environment, Options());
            var times = new Dictionary<string, List<double>>();
            var passes = new List<double>();
            int agreed = 0, total = 0, kills = 0, inside = 0, frozen = 0, joins = 0, midStream = 0;
            for (var rep = 1; rep <= repetitions; rep++)
            {
                var pass = Stopwatch.StartNew();
                foreach (var (scenario, expected) in answers)
                {
                    var result = await runner.RunAsync(scenario);
                    var ok = Agrees(result, expected);
                    total++;
                    agreed += ok ? 1 : 0;
                    (times.TryGetValue(scenario.Name, out var list) ? list : times[scenario.Name] = []).Add(result.Duration.TotalSeconds);
                    if (result.CrashWindow is { } window)
                    {
                        kills++;
                        inside += window.InsideWindow ? 1 : 0;
                        frozen += window.Frozen ? 1 : 0;
                    }

                    if (result.Evidence.OfType<FaultActionEvidence>().LastOrDefault(a => a.Action == "rebalance-landed" && scenario.Fault is Rebalance { Options.Kind: RebalanceKind.WorkerJoins }) is { } landed)
                    {
                        joins++;
                        midStream += landed.Detail.StartsWith("The rebalance landed mid-stream", StringComparison.Ordinal) ? 1 : 0;
                    }

                    var anomalies = result.Report is { } report ? string.Join(", ", report.Anomalies.Where(a => a.Count > 0).Select(a => $"{a.Count} {a.Kind.ToName()}")) : "-";
                    var windowText = result.CrashWindow is { } w ? $" window {w.Kind} {(w.InsideWindow ? "inside" : "MISSED")}{(w.Frozen ? $" frozen {w.FrozenFor?.TotalMilliseconds:0} ms, freeze {w.Freezes}" : " not frozen")}" : string.Empty;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rep {rep} {scenario.Name,-48} {result.Verdict?.ToName() ?? "skipped",-7} expected {Name(expected),-13} {(ok ? "agree" : "DISAGREE")} {result.Duration.TotalSeconds,5:0.0} s  {result.Outcome} [{anomalies}]{windowText}{(result.Finding is { } f ? $" finding: {f}" : string.Empty)}"));
                    if (!ok)
                    {
                        Console.WriteLine("    " + result.Summarize().Replace("\n", "\n    ", StringComparison.Ordinal));
                    }
                }

                passes.Add(pass.Elapsed.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass {rep}: {pass.Elapsed.TotalSeconds:0.0} s"));
            }

            Console.WriteLine();
            foreach (var (name, list) in times)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-48} median {Median(list),5:0.0} s  min {list.Min(),5:0.0} s  max {list.Max(),5:0.0} s"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass of {answers.Count}: median {Median(passes):0.0} s, min {passes.Min():0.0} s, max {passes.Max():0.0} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agreement with the known answer: {agreed}/{total} ({100.0 * agreed / total:0.0}%)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"window-triggered kills inside their window: {inside}/{kills} ({(kills == 0 ? 0 : 100.0 * inside / kills):0.0}%), placed on a frozen worker: {frozen}/{kills}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"joins that landed mid-stream: {midStream}/{joins}"));
            return agreed == total && inside == kills ? 0 : 1;
        }
        finally
        {
            StopBusyLoops(loops);
        }
    }

    public static async Task<int> CrashBaselineAsync(int killCount)
    {
        Console.WriteLine($"crash-baseline: kills={killCount} cores={Environment.ProcessorCount} load={File.ReadAllText("/proc/loadavg").Trim()}");
        await using var environment = await SinkScenarioDriver.CreateAsync(await ReferenceMatrix.EnvironmentBuilder().StartAsync(), ownsEnvironment: true);
        var runner = new ScenarioRunner(environment, Options());
        int inside = 0, redCount = 0;
        for (var i = 1; i <= killCount; i++)
        {
            var scenario = ReferenceMatrix.Make("baseline-insert", ReferenceMatrix.PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new RandomDelayKill(i));
            var result = await runner.RunAsync(scenario);
            var window = result.CrashWindow;
            inside += window?.InsideWindow == true ? 1 : 0;
            redCount += result.Report?[AnomalyKind.Duplicated].Count > 0 ? 1 : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kill {i}: {result.FaultDetail} rows ahead {window?.RowsAhead ?? 0}, duplicated {result.Report?[AnomalyKind.Duplicated].Count ?? 0}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"random-delay kills inside the window: {inside}/{killCount}; runs that showed the duplicates: {redCount}/{killCount}"));
        return 0;
    }

    // A red that comes from a fault never injected proves nothing, so it does not count as agreeing; a known loss must show as lost.
    private static bool Agrees(ScenarioResult result, Expected expected) => expected switch
    {
        Expected.Red => result.Verdict == Verdict.Red && result.Outcome != ScenarioOutcome.FaultNotInjected,
        Expected.RedWithLoss => result.Verdict == Verdict.Red && result.Outcome != ScenarioOutcome.FaultNotInjected && result.Report?[AnomalyKind.Lost].Count > 0,
        _ => result.Verdict is Verdict.Green or Verdict.Yellow,
    };

    private static string Name(Expected expected) => expected switch
    {
        Expected.Red => "red",
        Expected.RedWithLoss => "red with lost",
        _ => "not red",
    };

    // CPU-bound loops beside the run, bounded by timeout(1) in case this process dies before it stops them.
    internal static List<Process> StartBusyLoops(int count)
    {
        var loops = new List<Process>();
        for (var i = 0; i < count; i++)
        {
            var start = new ProcessStartInfo("timeout") { UseShellExecute = false };
            foreach (var argument in new[] { "7200", "sh", "-c", "while :; do :; done" })
            {
                start.ArgumentList.Add(argument);
            }

            loops.Add(Process.Start(start)!);
        }

        return loops;
    }

    internal static void StopBusyLoops(List<Process> loops)
    {
        foreach (var loop in loops)
        {
            loop.Kill(entireProcessTree: true);
            loop.Dispose();
        }
    }

    private static ScenarioRunnerOptions Options() => new()
    {
        OutputDirectory = Path.Combine(Path.GetTempPath(), "sink-idempotency-bench"),
        PollInterval = TimeSpan.FromMilliseconds(10),
    };

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private enum Expected
    {
        Red,
        RedWithLoss,
        NotRed,
    }

    /// <summary>The naive baseline: kill the task's worker after a random delay within the stream, without looking at target or group.</summary>
    private sealed class RandomDelayKill(int seed) : Fault
    {
        private readonly Random _random = new(seed);

        public override string Name => "random-delay-kill";

        public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.RestartWorker;

        protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
        {
            var workload = context.Scenario.Workload;
            var stream = TimeSpan.FromSeconds(workload.Records / (workload.RecordsPerSecond ?? 500));
            await Task.Delay(stream * _random.NextDouble(), cancellationToken);
            var owner = await context.FindTaskWorkerAsync(0, cancellationToken);
            if (owner is not { } found)
            {
                return new FaultOutcome(false, "task 0 not running");
            }

            // Measured exactly as the window trigger measures it: observed before the kill, confirmed after it.
            var before = await context.ObserveWindowAsync(CrashWindowKind.TargetAheadOfCommit, _ => true, cancellationToken);
            await context.Environment.KillWorkerAsync(found.Worker.WorkerId, cancellationToken);
            var after = await context.ObserveWindowAsync(CrashWindowKind.TargetAheadOfCommit, _ => true, cancellationToken);
            var window = context.BuildWindow(CrashWindowKind.TargetAheadOfCommit, found.Worker, found.Tasks, before, after);
            context.Record("kill-worker", "random-delay kill", window);
            await context.Environment.RestartWorkerAsync(found.Worker.WorkerId, cancellationToken);
            return new FaultOutcome(true, string.Create(CultureInfo.InvariantCulture, $"killed after {stream.TotalSeconds:0.0} s × random"));
        }
    }
}
