using System.Diagnostics;
using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Benchmarks;

/// <summary>
/// Runs the ten known-answer scenarios (five failure cases × must-be-red / must-not-be-red) end to end on the embedded
/// environment and reports wall time per scenario and per pass, agreement with the known answer, and for the crash
/// cases whether each kill landed inside the write/commit window; <c>crash-baseline</c> measures the same window share
/// for a naive kill after a random delay.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/SinkIdempotency.Benchmarks -- harness [repetitions=5]</c> and
/// <c>… -- crash-baseline [kills=10]</c>.
/// </remarks>
internal static class HarnessBenchmark
{
    public static async Task<int> RunAsync(int repetitions)
    {
        Console.WriteLine($"harness: repetitions={repetitions} cores={Environment.ProcessorCount} load={File.ReadAllText("/proc/loadavg").Trim()}");
        var start = Stopwatch.StartNew();
        await using var environment = await SinkScenarioEnvironment.CreateAsync(await ReferenceMatrix.EnvironmentBuilder().StartAsync(), ownsEnvironment: true);
        Console.WriteLine($"environment start: {start.Elapsed.TotalSeconds:0.0} s");
        var runner = new ScenarioRunner(environment, Options());
        var times = new Dictionary<string, List<double>>();
        var passes = new List<double>();
        int agreed = 0, total = 0, kills = 0, inside = 0;
        for (var rep = 1; rep <= repetitions; rep++)
        {
            var pass = Stopwatch.StartNew();
            foreach (var (_, scenario, mustBeRed) in ReferenceMatrix.Scenarios)
            {
                var result = await runner.RunAsync(scenario);
                var red = result.Verdict == Verdict.Red;
                // A red that comes from a fault never injected proves nothing, so it does not count as agreeing.
                var ok = red == mustBeRed && result.Outcome != ScenarioOutcome.FaultNotInjected;
                total++;
                agreed += ok ? 1 : 0;
                (times.TryGetValue(scenario.Name, out var list) ? list : times[scenario.Name] = []).Add(result.Duration.TotalSeconds);
                if (result.CrashWindow is { } window)
                {
                    kills++;
                    inside += window.InsideWindow ? 1 : 0;
                }

                var anomalies = result.Report is { } report ? string.Join(", ", report.Anomalies.Where(a => a.Count > 0).Select(a => $"{a.Count} {a.Kind.ToName()}")) : "-";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rep {rep} {scenario.Name,-40} {result.Verdict?.ToName() ?? "skipped",-7} expected {(mustBeRed ? "red" : "not red"),-8} {(ok ? "agree" : "DISAGREE")} {result.Duration.TotalSeconds,5:0.0} s  {result.Outcome} [{anomalies}]{(result.CrashWindow is { } w ? $" window rows ahead {w.RowsAhead}" : string.Empty)}"));
            }

            passes.Add(pass.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass {rep}: {pass.Elapsed.TotalSeconds:0.0} s"));
        }

        Console.WriteLine();
        foreach (var (name, list) in times)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} median {Median(list),5:0.0} s  min {list.Min(),5:0.0} s  max {list.Max(),5:0.0} s"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass of ten: median {Median(passes):0.0} s, min {passes.Min():0.0} s, max {passes.Max():0.0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agreement with the known answer: {agreed}/{total} ({100.0 * agreed / total:0.0}%)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"window-triggered kills inside the window: {inside}/{kills}"));
        return agreed == total ? 0 : 1;
    }

    public static async Task<int> CrashBaselineAsync(int killCount)
    {
        Console.WriteLine($"crash-baseline: kills={killCount} cores={Environment.ProcessorCount} load={File.ReadAllText("/proc/loadavg").Trim()}");
        await using var environment = await SinkScenarioEnvironment.CreateAsync(await ReferenceMatrix.EnvironmentBuilder().StartAsync(), ownsEnvironment: true);
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

    /// <summary>The naive baseline: kill the task's worker after a random delay within the stream, without looking at target or group.</summary>
    private sealed class RandomDelayKill(int seed) : Fault
    {
        private readonly Random _random = new(seed);

        public override string Name => "random-delay-kill";

        public override ScenarioCapabilities RequiredCapabilities => ScenarioCapabilities.KillWorker | ScenarioCapabilities.RestartWorker;

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

            // Measured exactly as the window trigger measures it: offsets read before and after the kill, target after it.
            var before = await context.ReadCommittedAsync(cancellationToken);
            await context.Environment.KillWorkerAsync(found.Worker.Id, cancellationToken);
            var after = await context.ReadCommittedAsync(cancellationToken);
            var written = await context.ReadTargetProgressAsync(cancellationToken);
            var window = context.BuildWindow(found.Worker, found.Tasks, written, before, after);
            context.Record("kill-worker", "random-delay kill", window);
            await context.Environment.RestartWorkerAsync(found.Worker.Id, cancellationToken);
            return new FaultOutcome(true, string.Create(CultureInfo.InvariantCulture, $"killed after {stream.TotalSeconds:0.0} s × random"));
        }
    }
}
