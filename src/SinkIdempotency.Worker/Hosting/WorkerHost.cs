using System.Runtime.InteropServices;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Worker.Cluster;
using SinkIdempotency.Worker.Plugins;
using SinkIdempotency.Worker.Rest;

namespace SinkIdempotency.Worker.Hosting;

/// <summary>Runs one worker process: REST first (its URL is the first line of standard output), then the herder, until stdin closes or a signal arrives.</summary>
internal static class WorkerHost
{
    public static async Task<int> RunAsync(WorkerOptions options, TextWriter stdout, CancellationToken cancellationToken)
    {
        using var loggerFactory = LoggerFactory.Create(WorkerLogging.Configure);
        var log = loggerFactory.CreateLogger("SinkIdempotency.Worker");
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            shutdown.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            shutdown.Cancel();
        });

        var rest = new ConnectRestServer(options.RestHost, options.RestPort, log);
        await using (rest.ConfigureAwait(false))
        {
            await rest.StartAsync(shutdown.Token).ConfigureAwait(false);
            var baseUrl = rest.BaseUrl.ToString().TrimEnd('/');
            await stdout.WriteLineAsync(baseUrl).ConfigureAwait(false);
            await stdout.FlushAsync(shutdown.Token).ConfigureAwait(false);
            var admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!options.Detached)
            {
                WatchStandardInput(shutdown, admitted, log);
            }

            var workerId = options.WorkerId ?? $"{rest.BaseUrl.Host}:{rest.BaseUrl.Port}";
            var sinceStart = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
            log.LogInformation("Worker {WorkerId} REST API at {Url} {Elapsed:F0} ms after process start; cluster {Group} on {Bootstrap}", workerId, baseUrl, sinceStart.TotalMilliseconds, options.GroupId, options.BootstrapServers);
            var plugins = new PluginRegistry(loggerFactory, options.PluginPaths);
            var herder = new Herder(options, workerId, plugins, loggerFactory, TimeProvider.System);
            await using (herder.ConfigureAwait(false))
            {
                try
                {
                    if (options.Standby)
                    {
                        // Everything slow (process start, JIT, plugins, reading the cluster's topics) happens before the
                        // admission, so joining is only the group membership. 'standby' on standard output says it is ready.
                        await herder.PrepareAsync(shutdown.Token).ConfigureAwait(false);
                        await stdout.WriteLineAsync("standby").ConfigureAwait(false);
                        await stdout.FlushAsync(shutdown.Token).ConfigureAwait(false);
                        log.LogInformation("Worker {WorkerId} on standby; waiting for a 'join' line on standard input", workerId);
                        await admitted.Task.WaitAsync(shutdown.Token).ConfigureAwait(false);
                        log.LogInformation("Worker {WorkerId} admitted; joining the cluster", workerId);
                        rest.Attach(herder, null);
                        herder.Join();
                    }
                    else
                    {
                        rest.Attach(herder, null);
                        await herder.StartAsync(shutdown.Token).ConfigureAwait(false);
                    }

                    rest.Attach(herder, await ClusterIdAsync(options).ConfigureAwait(false));
                    log.LogInformation("Worker {WorkerId} started", workerId);
                    await Task.Delay(Timeout.Infinite, shutdown.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    log.LogCritical(e, "Worker {WorkerId} failed", workerId);
                    return WorkerCommandLine.ExitFailure;
                }
            }
        }

        return WorkerCommandLine.ExitOk;
    }

    // Standard input is the harness's lifeline: a 'join' line admits a standby worker, end of input stops the worker.
    private static void WatchStandardInput(CancellationTokenSource shutdown, TaskCompletionSource admitted, ILogger log)
    {
        var thread = new Thread(() =>
        {
            try
            {
                using var stdin = new StreamReader(Console.OpenStandardInput());
                while (stdin.ReadLine() is { } line)
                {
                    if (line.Trim() == "join")
                    {
                        admitted.TrySetResult();
                    }
                }
            }
            catch (IOException)
            {
            }

            log.LogInformation("Standard input closed; stopping (start with --detached to keep running)");
            try
            {
                shutdown.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        })
        { IsBackground = true, Name = "stdin-watch" };
        thread.Start();
    }

    private static async Task<string?> ClusterIdAsync(WorkerOptions options)
    {
        try
        {
            using var admin = new AdminClientBuilder(ClientConfigs.Admin(options, "connect-cluster-id")).Build();
            var cluster = await admin.DescribeClusterAsync(new Confluent.Kafka.Admin.DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(5) }).ConfigureAwait(false);
            return cluster.ClusterId;
        }
        catch (KafkaException)
        {
            return null;
        }
    }
}
