using SinkIdempotency.Broker;
using SinkIdempotency.Connect;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Environments;

/// <content>Starting and stopping the parts: broker, PostgreSQL, proxy and worker processes.</content>
public sealed partial class EmbeddedEnvironment
{
    private async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        // Kafka first, alone: a cluster that does not answer stops the start before anything else exists.
        await StartKafkaAsync(cancellationToken).ConfigureAwait(false);

        if (_options.Workers > 0)
        {
            try
            {
                _workerPath = WorkerLocator.FindWorker(_options.WorkerPath);
                _dotnet = WorkerLocator.FindDotnet();
            }
            catch (Exception ex)
            {
                throw new EnvironmentStartException(Name, "Connect worker", ex);
            }
        }

        // PostgreSQL and the workers are the slow parts and do not need each other to start.
        var postgres = StartPostgreSqlAsync(cancellationToken);
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => StartWorkerAsync(0, standby: false, cancellationToken)).ToList();
        var all = Task.WhenAll(workers.Cast<Task>().Append(postgres));
        try
        {
            await all.ConfigureAwait(false);
        }
        catch
        {
            var failure = all.Exception?.InnerExceptions.FirstOrDefault(e => e is EnvironmentStartException)
                ?? all.Exception?.InnerExceptions.FirstOrDefault();
            if (failure is not null)
            {
                throw failure;
            }

            throw;
        }
    }

    private async Task StartPostgreSqlAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_options.SharedServers is { } shared)
            {
                _postgreSql = shared.PostgreSql;
            }
            else
            {
                var started = _options.TimeProvider.GetTimestamp();
                _postgreSql = await _options.PostgreSql.StartAsync(cancellationToken).ConfigureAwait(false);
                RecordDuration("PostgreSQL", started);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EnvironmentStartException(Name, "PostgreSQL", ex);
        }

        if (_options.TargetProxy)
        {
            try
            {
                _proxy = await TargetFaultProxy.StartAsync(
                    new TargetFaultProxyOptions { TargetHost = _postgreSql.Host, TargetPort = _postgreSql.Port, TimeProvider = _options.TimeProvider },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new EnvironmentStartException(Name, "target fault proxy", ex);
            }
        }
    }

    private async Task<WorkerProcess> StartWorkerAsync(int restPort, bool standby, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _workerSequence);
        var part = $"Connect worker {number}";
        var started = _options.TimeProvider.GetTimestamp();
        try
        {
            var arguments = new List<string>
            {
                "--bootstrap-servers", Kafka.BootstrapServers,
                "--group-id", _clusterId,
                "--cluster-slots", WorkerClusterSlots.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--rest-host", "127.0.0.1",
                "--rest-port", restPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--offset-flush-interval-ms", Format(_options.OffsetFlushInterval),
            };
            if (_options.WorkerSessionTimeout is { } session)
            {
                // Members learn of a rebalance at their next heartbeat: a tenth of the session lets a joining worker land
                // within a fraction of a second, as a short stream needs, where Connect's third would take a second.
                arguments.AddRange(["--cluster-session-timeout-ms", Format(session)]);
                arguments.AddRange(["--cluster-heartbeat-interval-ms", Format(TimeSpan.FromMilliseconds(Math.Max(100, session.TotalMilliseconds / 10)))]);
            }

            AddProperties(arguments, "--client-property", _options.ClientProperties);
            AddProperties(arguments, "--consumer-property", _options.EffectiveConsumerProperties);
            AddProperties(arguments, "--worker-property", _options.WorkerProperties);
            foreach (var path in _options.PluginPaths)
            {
                arguments.AddRange(["--plugin-path", path]);
            }

            if (standby)
            {
                arguments.Add("--standby");
            }

            var logPath = _options.LogDirectory is null ? null : Path.Combine(_options.LogDirectory, $"worker-{number}.log");
            var worker = await WorkerProcess.StartAsync(_dotnet!, _workerPath!, arguments, logPath, _options.WorkerStartTimeout, _options.TimeProvider, cancellationToken, WorkerEnvironment()).ConfigureAwait(false);
            worker.IsStandby = standby;
            lock (_gate)
            {
                _workers.Add(worker);
            }

            if (standby)
            {
                // A standby worker is ready once it printed 'standby'; it joins the cluster when admitted.
                await worker.WaitForStandbyAsync(_options.WorkerStartTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                RecordDuration(part + " (standby)", started);
                return worker;
            }

            // Ready means the worker serves the connectors API (it answers 409 while it is still joining the cluster).
            using var client = new ConnectRestClient(worker.RestUrl, new ConnectRestClientOptions
            {
                RequestTimeout = _options.WorkerStartTimeout,
                RebalanceRetryTimeout = _options.WorkerStartTimeout,
                PollInterval = TimeSpan.FromMilliseconds(50),
                TimeProvider = _options.TimeProvider,
            });
            await client.ListConnectorsAsync(cancellationToken).ConfigureAwait(false);
            RecordDuration(part, started);
            return worker;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EnvironmentStartException(Name, part, ex);
        }
    }

    private async Task StopPartsAsync()
    {
        var failures = new List<Exception>();
        List<WorkerProcess> workers;
        lock (_gate)
        {
            workers = [.. _workers];
        }

        await Task.WhenAll(workers.Select(async w =>
        {
            try
            {
                await w.StopAsync(_options.WorkerStopTimeout, _options.TimeProvider, CancellationToken.None).ConfigureAwait(false);
                await w.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                lock (failures)
                {
                    failures.Add(ex);
                }
            }
        })).ConfigureAwait(false);

        await PartDisposal.StopEachAsync(
            failures,
            DeleteClusterResourcesAsync,
            () => _proxy?.DisposeAsync() ?? ValueTask.CompletedTask,
            StopTargetsAsync,
            // Shared servers belong to whoever shares them; they outlive this environment.
            () => _options.SharedServers is null ? _postgreSql?.DisposeAsync() ?? ValueTask.CompletedTask : ValueTask.CompletedTask,
            () => _options.SharedServers?.Broker is null ? _broker?.DisposeAsync() ?? ValueTask.CompletedTask : ValueTask.CompletedTask).ConfigureAwait(false);

        if (failures.Count > 0)
        {
            throw new AggregateException("Stopping the embedded environment failed for some parts; see the inner exceptions.", failures);
        }
    }

    private void RecordDuration(string part, long startedTimestamp)
    {
        lock (_gate)
        {
            _startDurations[part] = _options.TimeProvider.GetElapsedTime(startedTimestamp);
        }
    }

    private static void AddProperties(List<string> arguments, string option, IReadOnlyDictionary<string, string> properties)
    {
        foreach (var (key, value) in properties)
        {
            arguments.AddRange([option, $"{key}={value}"]);
        }
    }
}
