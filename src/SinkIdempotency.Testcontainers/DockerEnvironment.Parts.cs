using System.Globalization;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using SinkIdempotency.Connect;
using SinkIdempotency.Environments;
using SinkIdempotency.Proxy;
using SinkIdempotency.Testcontainers.Vendors;
using Testcontainers.PostgreSql;

namespace SinkIdempotency.Testcontainers;

/// <content>Creating and removing the network and the containers.</content>
public sealed partial class DockerEnvironment
{
    private async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        await Part("network", async () =>
        {
            _network = new NetworkBuilder().WithName(_clusterId).Build();
            await _network.CreateAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        // Kafka, PostgreSQL and the Connect image do not need each other.
        var kafka = Part("Kafka", () => StartKafkaAsync(cancellationToken));
        var postgreSql = Part("PostgreSQL", () => StartPostgreSqlAsync(cancellationToken));
        var image = Part("Connect image", () => ResolveConnectImageAsync(cancellationToken));
        var all = Task.WhenAll(kafka, postgreSql, image);
        try
        {
            await all.ConfigureAwait(false);
        }
        catch
        {
            throw all.Exception?.InnerExceptions.FirstOrDefault(e => e is EnvironmentStartException) ?? all.Exception?.InnerExceptions.FirstOrDefault() ?? new InvalidOperationException("The docker environment could not start.");
        }

        if (_options.TargetProxy)
        {
            await Part("target fault proxy", async () =>
            {
                _proxy = await TargetFaultProxy.StartAsync(
                    ContainerSettings.TargetProxy(ConnectWorker.HostFor(_postgreSql!.Hostname), _postgreSql.GetMappedPublicPort(ContainerSettings.PostgreSqlPort), _options),
                    cancellationToken).ConfigureAwait(false);

                // Must run before the workers' builders are created: a builder adds host.testcontainers.internal only while the forwarder runs.
                await TestcontainersSettings.ExposeHostPortsAsync((ushort)_proxy.Port, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        var workers = Enumerable.Range(0, _options.Workers).Select(_ => StartWorkerAsync(cancellationToken)).ToList();
        var started = Task.WhenAll(workers);
        try
        {
            await started.ConfigureAwait(false);
        }
        catch
        {
            throw started.Exception?.InnerExceptions.FirstOrDefault() ?? new InvalidOperationException("A Connect worker could not start.");
        }

        await ReadConnectorArchivesAsync((await started.ConfigureAwait(false))[0], cancellationToken).ConfigureAwait(false);
    }

    // Which connector archives the image holds, with their SHA-256 and whether a pin verified them, for every run's evidence.
    private async Task ReadConnectorArchivesAsync(ConnectWorker worker, CancellationToken cancellationToken)
    {
        IReadOnlyList<ConnectorArchive>? archives = null;
        string? unreadable = null;
        try
        {
            var manifest = await worker.Container.ReadFileAsync(ConnectImageRecipe.ManifestPath, cancellationToken).ConfigureAwait(false);
            archives = ConnectImageRecipe.ParseManifest(Encoding.UTF8.GetString(manifest));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            unreadable = "could not be read: " + ex.Message.Split('\n')[0].TrimEnd('\r');
        }

        var (notes, warnings) = ConnectImageRecipe.Provenance(_connectImage!, archives, unreadable);
        lock (_gate)
        {
            _provenanceNotes = notes;
            _provenanceWarnings = warnings;
        }
    }

    private async Task Part(string part, Func<Task> start)
    {
        try
        {
            await start().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not EnvironmentStartException)
        {
            throw new EnvironmentStartException(Name, part, ex);
        }
    }

    private Task StartKafkaAsync(CancellationToken cancellationToken) =>
        KafkaVendors.For(_options.Flavour).StartAsync(
            new KafkaVendorStart
            {
                Options = _options,
                Network = _network!,
                KafkaClusterId = _kafkaClusterId,

                // Kept before the start so that a failed start still removes the container.
                BrokerCreated = container => _kafka = container,
                ObjectStorageCreated = container => _objectStorage = container,
                Part = Part,
            },
            cancellationToken);

    private async Task StartPostgreSqlAsync(CancellationToken cancellationToken)
    {
        var postgreSql = new PostgreSqlBuilder(_options.PostgreSqlImage)
            .WithNetwork(_network)
            .WithNetworkAliases(ContainerSettings.PostgreSqlAlias)
            .WithPassword(_options.PostgreSqlPassword)
            .WithCommand([.. ContainerSettings.PostgreSqlDurabilityCommand])
            .Build();
        _postgreSql = postgreSql;
        await postgreSql.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    // The pre-built image, or null to build docker/connect.
    private string? PrebuiltConnectImage => _options.ConnectImage ?? NullIfEmpty(Environment.GetEnvironmentVariable(DockerEnvironmentOptions.ConnectImageVariable));

    private string ConnectDockerfileFolder => _options.ConnectDockerfileDirectory ?? ConnectDockerfile.Find()
        ?? throw new FileNotFoundException($"docker/connect/Dockerfile was not found above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}; set DockerEnvironmentOptions.ConnectDockerfileDirectory, or a pre-built image with WithConnectImage or {DockerEnvironmentOptions.ConnectImageVariable}.");

    // Before anything is created: an image that would install an archive no pin verifies, without the user's opt-in, stops the start with the ways out.
    private void EnsureConnectImageBuildable()
    {
        if (PrebuiltConnectImage is not null)
        {
            return;
        }

        try
        {
            var directory = ConnectDockerfileFolder;
            var refusal = ConnectImageRecipe.ExplainUnpinned(
                ConnectImageRecipe.ReadPins(directory),
                ContainerSettings.AllowsUnpinnedConnectors(_options, Environment.GetEnvironmentVariable),
                directory);
            if (refusal is not null)
            {
                throw new InvalidOperationException(refusal);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            throw new EnvironmentStartException(Name, "Connect image", ex);
        }
    }

    private async Task ResolveConnectImageAsync(CancellationToken cancellationToken)
    {
        if (PrebuiltConnectImage is { } prebuilt)
        {
            _connectImage = prebuilt;
            return;
        }

        var directory = ConnectDockerfileFolder;
        var builder = new ImageFromDockerfileBuilder()
            .WithDockerfileDirectory(directory)
            .WithDockerfile("Dockerfile")
            .WithName(DockerImages.ConnectBuiltImage)
            .WithCleanUp(false);
        foreach (var (name, value) in ContainerSettings.ConnectBuildArguments(_options, Environment.GetEnvironmentVariable))
        {
            builder = builder.WithBuildArgument(name, value);
        }

        var log = new ConnectImageBuildLog();
        var image = builder.WithLogger(log).Build();
        Exception? failure = null;
        try
        {
            await image.CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = ex;
        }

        await SaveBuildLogAsync(log).ConfigureAwait(false);

        // Testcontainers takes any image under the tag after the build as built: an error means this build failed, whatever an older image says.
        if (failure is not null || log.Errors.Count > 0)
        {
            throw new InvalidOperationException(log.Explain(DockerImages.ConnectBuiltImage, failure), failure);
        }

        _connectImage = image.FullName;
    }

    // Best effort, beside the container logs: the build's output names every archive and its SHA-256.
    private async Task SaveBuildLogAsync(ConnectImageBuildLog log)
    {
        if (ContainerLogFolder is not { } folder)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "connect-image-build.log"), ContainerSettings.RedactContainerLog(string.Join('\n', log.Lines.Concat(log.Errors.Select(e => "ERROR " + e)))), Encoding.UTF8, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The folder cannot be written; the build's errors still reach the start exception.
        }
    }

    private async Task<ConnectWorker> StartWorkerAsync(CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _workerSequence);
        var part = $"Connect worker {number}";
        try
        {
            var spec = ContainerSettings.Connect(_options, _connectImage!, _clusterId, number);
            var builder = new ContainerBuilder(spec.Image)
                .WithNetwork(_network)
                .WithNetworkAliases([.. spec.NetworkAliases])
                .WithEnvironment(spec.Environment.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
                .WithPortBinding(ContainerSettings.ConnectRestPort, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(
                    r => r.ForPort(ContainerSettings.ConnectRestPort).ForPath("/connectors"),
                    o => o.WithTimeout(_options.StartTimeout)));
            // Copied, not bind-mounted: a remote or Docker-in-Docker engine cannot see this machine's folders.
            foreach (var (source, target) in spec.CopiedFolders)
            {
                builder = builder.WithResourceMapping(new DirectoryInfo(source), target);
            }

            if (spec.StopTimeoutSeconds is { } stopTimeout)
            {
                // Testcontainers' stop sends no timeout, so Docker uses the container's own (a graceful restart's grace period).
                builder = builder.WithCreateParameterModifier(parameters => parameters.StopTimeout = TimeSpan.FromSeconds(stopTimeout));
            }

            var worker = new ConnectWorker(number, builder.Build());
            lock (_gate)
            {
                _workers.Add(worker);
            }

            await worker.Container.StartAsync(cancellationToken).ConfigureAwait(false);
            await WaitForRestAsync(worker, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                worker.IsRunning = true;
            }

            return worker;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EnvironmentStartException(Name, part, ex);
        }
    }

    // Ready means the worker serves the connectors API (it answers 409 while it is still joining the group).
    private async Task WaitForRestAsync(ConnectWorker worker, CancellationToken cancellationToken)
    {
        using var client = new ConnectRestClient(worker.RestUrl, new ConnectRestClientOptions
        {
            RequestTimeout = _options.StartTimeout,
            RebalanceRetryTimeout = _options.StartTimeout,
            TimeProvider = _options.TimeProvider,
        });
        await client.ListConnectorsAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task StopPartsAsync()
    {
        var failures = new List<Exception>();
        List<ConnectWorker> workers;
        lock (_gate)
        {
            workers = [.. _workers];
            foreach (var worker in _workers)
            {
                worker.IsRunning = false;
            }
        }

        // The logs go before the containers do (Ryuk would otherwise remove them with the test process).
        await SaveContainerLogsAsync().ConfigureAwait(false);

        // Reverse order of start: workers, proxy, PostgreSQL, Kafka and the other targets' stores, AutoMQ's object storage, then the network.
        await Task.WhenAll(workers.Select(w => Collect(() => w.Container.DisposeAsync()))).ConfigureAwait(false);
        await Collect(() => _proxy?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        await Task.WhenAll(
            Collect(() => _postgreSql?.DisposeAsync() ?? ValueTask.CompletedTask),
            Collect(() => _kafka?.DisposeAsync() ?? ValueTask.CompletedTask),
            StopTargetContainersAsync(Collect)).ConfigureAwait(false);
        await Collect(() => _objectStorage?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
        await Collect(() => _network?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);

        async Task Collect(Func<ValueTask> dispose)
        {
            try
            {
                await dispose().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                lock (failures)
                {
                    failures.Add(ex);
                }
            }
        }

        // Disposal is best effort: a failure to remove one container must not keep the others running.
        _ = failures;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
