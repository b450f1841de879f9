using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Cli.Run;

/// <summary>Starts the real environments for <c>run</c>, or explains why one cannot start here.</summary>
/// <remarks>Embedded environments started while another is alive share its broker and target servers (<see cref="EmbeddedSharedServers"/>):
/// each lane of a run is one Connect worker more, not a broker, PostgreSQL and MariaDB more. The servers stop with the last lane.</remarks>
internal sealed class EnvironmentSessionFactory : IScenarioSessionFactory
{
    private readonly SemaphoreSlim _sharedGate = new(1, 1);
    private EmbeddedSharedServers? _shared;
    private int _leases;

    public Task<IScenarioSession> StartAsync(RunSettings settings, string workDirectory, CancellationToken cancellationToken) =>
        settings.Environment switch
        {
            EnvironmentKind.External => ExternalSession.StartAsync(settings.External, workDirectory, cancellationToken),
            EnvironmentKind.Docker => StartDockerAsync(settings, workDirectory, cancellationToken),
            _ => StartEmbeddedAsync(settings, workDirectory, cancellationToken),
        };

    public async Task<IScenarioSession> StartAsync(EnvironmentKind kind, string workDirectory, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case EnvironmentKind.Docker:
                return await StartDockerAsync(new RunSettings { Environment = kind }, workDirectory, cancellationToken).ConfigureAwait(false);
            case EnvironmentKind.External:
                return await ExternalSession.StartAsync(ExternalEnvironmentOptions.FromEnvironmentVariables(), workDirectory, cancellationToken).ConfigureAwait(false);
        }

        return await StartEmbeddedAsync(new RunSettings(), workDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the embedded environment's builder for <paramref name="settings"/>: the known-answer suite's settings, on the
    /// in-process broker or, with <c>--bootstrap-servers</c>, on that cluster with its client settings, label and 6 s sessions.</summary>
    internal static EmbeddedEnvironmentBuilder EmbeddedBuilder(RunSettings settings, string workDirectory)
    {
        // The same settings as the integration suite's known answers (ReferenceMatrix's session timeouts and offset flushes).
        var builder = settings.External.BootstrapServers is { } servers
            ? ReferenceMatrix.EnvironmentBuilder(servers)
            : ReferenceMatrix.EnvironmentBuilder();
        builder = settings.External.BootstrapServers is null
            ? builder
            : settings.External.KafkaSettings.Aggregate(builder, (b, kv) => b.WithKafkaSetting(kv.Key, kv.Value));
        builder = settings.KafkaLabel is { } label ? builder.WithKafkaLabel(label) : builder;
        return settings.PluginPaths.Aggregate(builder.WithLogDirectory(Path.Combine(workDirectory, "logs")), (b, path) => b.WithPluginPath(path));
    }

    private async Task<IScenarioSession> StartEmbeddedAsync(RunSettings settings, string workDirectory, CancellationToken cancellationToken)
    {
        EmbeddedEnvironment environment;
        SharedLease? lease = null;
        try
        {
            var builder = EmbeddedBuilder(settings, workDirectory);
            lease = await LeaseSharedServersAsync(builder.Options, cancellationToken).ConfigureAwait(false);
            environment = await builder.WithSharedServers(lease.Servers).StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }

            Exception? explained = ex switch
            {
                ArgumentException => new EnvironmentUnavailableException($"{Connect.SecretRedactor.RedactText(ex.Message)} See docs/cli.md (\"A Kafka of your own\").", ex),
                EnvironmentStartException { InnerException: FileNotFoundException } start when start.Part.StartsWith("Connect worker", StringComparison.Ordinal) =>
                    new EnvironmentUnavailableException($"{ex.Message} Build src/SinkIdempotency.Worker (dotnet build src/SinkIdempotency.Worker -c Release) or set {EmbeddedEnvironmentOptions.WorkerPathVariable} to its SinkIdempotency.Worker.dll.", ex),
                FileNotFoundException => new EnvironmentUnavailableException(ex.Message, ex),
                _ => null,
            };
            if (explained is null)
            {
                throw;
            }

            throw explained;
        }

        try
        {
            return await SessionAsync(environment, environment.Name, TimeSpan.FromMilliseconds(10), workDirectory, cancellationToken, lease).ConfigureAwait(false);
        }
        catch
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The first lease starts the servers; the last one given back stops them.
    private async Task<SharedLease> LeaseSharedServersAsync(EmbeddedEnvironmentOptions options, CancellationToken cancellationToken)
    {
        await _sharedGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _shared ??= await EmbeddedSharedServers.StartAsync(options, cancellationToken).ConfigureAwait(false);
            _leases++;
            return new SharedLease(this, _shared);
        }
        finally
        {
            _sharedGate.Release();
        }
    }

    private async ValueTask ReturnAsync(EmbeddedSharedServers servers)
    {
        await _sharedGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (--_leases == 0 && ReferenceEquals(_shared, servers))
            {
                _shared = null;
                await servers.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _sharedGate.Release();
        }
    }

    /// <summary>Explains what is missing for <c>--env docker</c>: the engine, with what to change.</summary>
    /// <param name="failure">The probe's failure, when an engine seemed configured but did not answer.</param>
    public static string DockerMessage(DockerUnavailableException? failure = null)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var configured = !string.IsNullOrEmpty(host) || File.Exists("/var/run/docker.sock");
        return configured
            ? $"--env docker needs a Docker engine: {failure?.Message ?? "none answered. Start Docker or set DOCKER_HOST, or run with --env embedded, which needs no Docker."}"
            : "--env docker needs a Docker engine, and none is reachable (DOCKER_HOST is not set and /var/run/docker.sock does not exist). Start Docker or set DOCKER_HOST, or run with --env embedded, which needs no Docker.";
    }

    /// <summary>Returns the Docker environment's builder for <paramref name="settings"/>: the known-answer suite's settings, with the broker
    /// from <c>--kafka</c>/<c>--kafka-image</c>, else from the environment variables, else Apache Kafka.</summary>
    /// <exception cref="EnvironmentUnavailableException">A broker variable names no flavour.</exception>
    internal static DockerEnvironmentBuilder DockerBuilder(RunSettings settings, Func<string, string?> variables)
    {
        // The same settings as the Docker known-answer suite (ReferenceMatrix's timings, the broker's minimum session lowered to match).
        var builder = JdbcSinkMatrix.EnvironmentBuilder();
        if (settings.Kafka is { } flavour)
        {
            // --kafka decides alone; a broker variable left in the shell is not even read.
            return builder.WithKafka(flavour, settings.KafkaImage);
        }

        try
        {
            builder = builder.WithKafkaFrom(variables);
        }
        catch (ArgumentException ex)
        {
            throw new EnvironmentUnavailableException(ex.Message, ex);
        }

        return settings.KafkaImage is { } image ? builder.WithKafka(builder.Options.Flavour, image) : builder;
    }

    private static async Task<IScenarioSession> StartDockerAsync(RunSettings settings, string workDirectory, CancellationToken cancellationToken)
    {
        // Every container's log is saved beside the evidence before the containers are removed.
        var builder = DockerBuilder(settings, Environment.GetEnvironmentVariable).WithContainerLogDirectory(Path.Combine(workDirectory, "container-logs"));
        DockerEnvironment environment;
        try
        {
            environment = await builder.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DockerUnavailableException ex)
        {
            throw new EnvironmentUnavailableException(DockerMessage(ex), ex);
        }
        catch (EnvironmentStartException ex) when (ex.InnerException is FileNotFoundException)
        {
            throw new EnvironmentUnavailableException($"{ex.Message} Run from the repository (it holds docker/connect/Dockerfile) or set {DockerEnvironmentOptions.ConnectImageVariable} to a pre-built Connect image.", ex);
        }

        return await SessionAsync(environment, "Docker", TimeSpan.FromMilliseconds(50), workDirectory, cancellationToken).ConfigureAwait(false);
    }

    // Wraps a started environment (which the session then owns) after asking its worker, with GET /, whether it serves the
    // KIP-875 offsets API; a worker that does not answer disposes the environment and is an environment error.
    private static async Task<IScenarioSession> SessionAsync(ISinkEnvironment environment, string kind, TimeSpan pollInterval, string workDirectory, CancellationToken cancellationToken, IAsyncDisposable? lease = null)
    {
        IScenarioDriver adapter;
        try
        {
            adapter = await environment.CreateScenarioDriverAsync(ownsEnvironment: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Connect.ConnectRestException or HttpRequestException)
        {
            throw new EnvironmentUnavailableException($"The {kind} Connect worker started but did not answer GET /: {ex.Message}", ex);
        }

        var options = new ScenarioRunnerOptions { OutputDirectory = workDirectory, PollInterval = pollInterval };
        return new RunnerSession(adapter, lease is null ? adapter : new SessionLifetime(adapter, lease), options, environment);
    }

    /// <summary>Gives back one lane's hold on the shared servers, once.</summary>
    private sealed class SharedLease(EnvironmentSessionFactory owner, EmbeddedSharedServers servers) : IAsyncDisposable
    {
        private int _returned;

        public EmbeddedSharedServers Servers => servers;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _returned, 1) == 0 ? owner.ReturnAsync(servers) : ValueTask.CompletedTask;
    }

    /// <summary>Stops a lane's environment, then gives back its hold on the shared servers.</summary>
    private sealed class SessionLifetime(IAsyncDisposable environment, IAsyncDisposable lease) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await environment.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
