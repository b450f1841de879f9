using System.Diagnostics;
using SinkIdempotency.Environments;

namespace SinkIdempotency.Benchmarks;

/// <summary>
/// Times the embedded environment (broker + 1 worker + PostgreSQL + fault proxy, all ready) from a cold PostgreSQL
/// template cache (a fresh working folder, so initdb runs) and warm (template cached), plus dispose.
/// </summary>
/// <remarks>Usage: <c>dotnet run -c Release --project bench/SinkIdempotency.Benchmarks -- env-start [warm-runs]</c> (default 5).</remarks>
internal static class EnvironmentStartBenchmark
{
    public static async Task RunAsync(int warmRuns)
    {
        Console.WriteLine($"cores={Environment.ProcessorCount} load={File.ReadAllText("/proc/loadavg").Trim()}");
        var workingDirectory = Directory.CreateTempSubdirectory("si-env-bench-").FullName;
        try
        {
            var builder = new EmbeddedEnvironmentBuilder().WithPostgreSql(p => p.WithWorkingDirectory(workingDirectory));
            var (coldStart, coldStop) = await TimeOnceAsync(builder);
            Console.WriteLine($"cold: start {coldStart:0} ms, dispose {coldStop:0} ms (fresh template folder: initdb runs)");
            var starts = new List<double>();
            var stops = new List<double>();
            for (var i = 0; i < warmRuns; i++)
            {
                var (start, stop) = await TimeOnceAsync(builder);
                starts.Add(start);
                stops.Add(stop);
                Console.WriteLine($"warm {i + 1}: start {start:0} ms, dispose {stop:0} ms");
            }

            Console.WriteLine($"warm start: best {starts.Min():0} ms, median {Median(starts):0} ms, worst {starts.Max():0} ms; dispose median {Median(stops):0} ms");
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    private static async Task<(double Start, double Stop)> TimeOnceAsync(EmbeddedEnvironmentBuilder builder)
    {
        var watch = Stopwatch.StartNew();
        var environment = await builder.StartAsync();
        var start = watch.Elapsed.TotalMilliseconds;
        Console.WriteLine("  parts: " + string.Join(", ", environment.StartDurations.Select(kv => $"{kv.Key} {kv.Value.TotalMilliseconds:0} ms")));
        watch.Restart();
        await environment.DisposeAsync();
        return (start, watch.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
