using SinkIdempotency.Broker;
using SinkIdempotency.Embedded;
using SinkIdempotency.Targets.Http;

namespace SinkIdempotency.Environments;

/// <summary>Holds the servers several embedded environments share: the in-process broker, PostgreSQL, and MariaDB and the HTTP target server once one of them needs it.</summary>
/// <remarks>
/// <para>
/// Environments that share these servers keep everything a scenario freezes, kills or re-targets to themselves: their own
/// Connect workers (their own cluster id and internal topics) and their own fault proxies in front of the shared targets.
/// What a run creates on a shared server carries the run's id (topic, consumer group, table, HTTP path, folder), and the
/// broker's faults match one consumer group or topic, so runs in different environments cannot disturb each other's
/// verdicts. The queries that wait for a frozen or killed worker's writes (sessions, requests in progress) select that
/// worker's connections by client port.
/// </para>
/// <para>Built from the options of the environments that will use it (<see cref="EmbeddedEnvironmentOptions.Broker"/>,
/// <see cref="EmbeddedEnvironmentOptions.PostgreSql"/>, <see cref="EmbeddedEnvironmentOptions.MySql"/>); on a cluster of the
/// environments' own (<see cref="EmbeddedEnvironmentOptions.BootstrapServers"/>) no broker is started. Disposing stops every
/// server it started; the environments that share it must be disposed first.</para>
/// </remarks>
internal sealed class EmbeddedSharedServers : IAsyncDisposable
{
    private const string Name = "embedded";

    // PostgreSQL's default is 100; ten lanes used about 55 sessions at their peak.
    private const string MaxConnections = "300";
    private readonly EmbeddedEnvironmentOptions _options;
    private readonly SemaphoreSlim _start = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TimeSpan> _startDurations = new(StringComparer.Ordinal);
    private KafkaBroker? _broker;
    private LocalPostgreSql? _postgreSql;
    private LocalMySql? _mySql;
    private Exception? _mySqlFailure;
    private HttpTargetServer? _httpServer;
    private bool _disposed;

    private EmbeddedSharedServers(EmbeddedEnvironmentOptions options) => _options = options;

    /// <summary>Gets the in-process broker, or <see langword="null"/> when the environments run on a cluster of their own.</summary>
    public KafkaBroker? Broker => _broker;

    /// <summary>Gets the PostgreSQL server.</summary>
    public LocalPostgreSql PostgreSql => _postgreSql ?? throw new ObjectDisposedException(nameof(EmbeddedSharedServers));

    /// <summary>Gets how long each server took to become ready, for the run's report.</summary>
    public IReadOnlyDictionary<string, TimeSpan> StartDurations
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, TimeSpan>(_startDurations, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Starts the broker (unless the options name a cluster) and PostgreSQL side by side; on failure stops what started.</summary>
    /// <param name="options">The options of the environments that will share the servers.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started servers.</returns>
    /// <exception cref="EnvironmentStartException">A server failed to start.</exception>
    public static async Task<EmbeddedSharedServers> StartAsync(EmbeddedEnvironmentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // Every environment's workers, readers and drain checks hold sessions of their own: about six per environment.
        if (!options.PostgreSql.Options.ServerSettings.ContainsKey("max_connections"))
        {
            options = options with { PostgreSql = options.PostgreSql.WithServerSetting("max_connections", MaxConnections) };
        }

        var servers = new EmbeddedSharedServers(options);
        try
        {
            await Task.WhenAll(servers.StartBrokerAsync(cancellationToken), servers.StartPostgreSqlAsync(cancellationToken)).ConfigureAwait(false);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Returns the MariaDB server, starting it the first time; a start that failed fails every later call with the same error.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="EnvironmentStartException">MariaDB failed to start.</exception>
    public async Task<LocalMySql> GetMySqlAsync(CancellationToken cancellationToken)
    {
        await _start.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_mySqlFailure is not null)
            {
                throw new EnvironmentStartException(Name, "MariaDB", _mySqlFailure);
            }

            if (_mySql is null)
            {
                var started = _options.TimeProvider.GetTimestamp();
                try
                {
                    _mySql = await _options.MySql.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _mySqlFailure = ex;
                    throw new EnvironmentStartException(Name, "MariaDB", ex);
                }

                Record("MariaDB", started);
            }

            return _mySql;
        }
        finally
        {
            _start.Release();
        }
    }

    /// <summary>Returns the HTTP target server, starting it the first time.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public async Task<HttpTargetServer> GetHttpServerAsync(CancellationToken cancellationToken)
    {
        await _start.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _httpServer ??= await HttpTargetServer.StartAsync(new HttpTargetServerOptions { TimeProvider = _options.TimeProvider }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _start.Release();
        }
    }

    /// <summary>Stops the HTTP target server, MariaDB, PostgreSQL and the broker, as far as they were started.</summary>
    /// <returns>A task that completes when none of them runs any more.</returns>
    public async ValueTask DisposeAsync()
    {
        await _start.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var failures = new List<Exception>();
            await PartDisposal.StopEachAsync(
                failures,
                () => _httpServer?.DisposeAsync() ?? ValueTask.CompletedTask,
                () => _mySql?.DisposeAsync() ?? ValueTask.CompletedTask,
                () => _postgreSql?.DisposeAsync() ?? ValueTask.CompletedTask,
                () => _broker?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);

            if (failures.Count > 0)
            {
                throw new AggregateException("Stopping the shared embedded servers failed for some of them; see the inner exceptions.", failures);
            }
        }
        finally
        {
            _start.Release();
        }
    }

    private async Task StartBrokerAsync(CancellationToken cancellationToken)
    {
        if (_options.BootstrapServers is not null)
        {
            return;
        }

        var started = _options.TimeProvider.GetTimestamp();
        var broker = new KafkaBroker(_options.Broker);
        _broker = broker;
        try
        {
            await broker.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EnvironmentStartException(Name, "Kafka broker", ex);
        }

        Record("Kafka broker", started);
    }

    private async Task StartPostgreSqlAsync(CancellationToken cancellationToken)
    {
        var started = _options.TimeProvider.GetTimestamp();
        try
        {
            _postgreSql = await _options.PostgreSql.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EnvironmentStartException(Name, "PostgreSQL", ex);
        }

        Record("PostgreSQL", started);
    }

    private void Record(string part, long startedTimestamp)
    {
        lock (_gate)
        {
            _startDurations[part] = _options.TimeProvider.GetElapsedTime(startedTimestamp);
        }
    }
}
