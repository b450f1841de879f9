using SinkIdempotency.Embedded;
using SinkIdempotency.Proxy;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Environments;

/// <content>Targets beyond PostgreSQL: a local MariaDB started the first time a scenario needs it, with a MySQL-protocol fault proxy.</content>
public sealed partial class EmbeddedEnvironment : ISinkTargetHost
{
    private readonly SemaphoreSlim _mySqlStart = new(1, 1);
    private LocalMySql? _mySql;
    private TargetFaultProxy? _mySqlProxy;
    private Exception? _mySqlFailure;

    /// <inheritdoc/>
    public IReadOnlyList<string> TargetKinds { get; } = [ScenarioTarget.MySqlKind];

    /// <summary>Gets the local MariaDB target, or <see langword="null"/> until a scenario has needed it.</summary>
    public LocalMySql? MySql => _mySql;

    /// <inheritdoc/>
    /// <remarks>A start that failed fails every later call with the same error: the server is not retried behind a run's back.</remarks>
    public async Task<ISinkTarget> OpenTargetAsync(string kind, CancellationToken cancellationToken = default)
    {
        if (kind != ScenarioTarget.MySqlKind)
        {
            throw new NotSupportedException($"The {Name} environment serves the {ScenarioTarget.PostgreSqlKind} and {ScenarioTarget.MySqlKind} targets, not '{kind}'.");
        }

        EnsureStarted();
        await _mySqlStart.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_mySqlFailure is not null)
            {
                throw new EnvironmentStartException(Name, "MariaDB", _mySqlFailure);
            }

            if (_mySql is null)
            {
                await StartMySqlAsync(cancellationToken).ConfigureAwait(false);
            }

            return new MySqlSinkTarget(_mySql!.ConnectionString, _mySql.Host, _mySql.Port, _mySqlProxy);
        }
        finally
        {
            _mySqlStart.Release();
        }
    }

    private async Task StartMySqlAsync(CancellationToken cancellationToken)
    {
        var started = _options.TimeProvider.GetTimestamp();
        LocalMySql? server = null;
        try
        {
            server = await _options.MySql.StartAsync(cancellationToken).ConfigureAwait(false);
            if (_options.TargetProxy)
            {
                _mySqlProxy = await TargetFaultProxy.StartAsync(
                    new TargetFaultProxyOptions { TargetHost = server.Host, TargetPort = server.Port, Protocol = TargetWireProtocol.MySql, TimeProvider = _options.TimeProvider },
                    cancellationToken).ConfigureAwait(false);
            }

            _mySql = server;
            RecordDuration("MariaDB", started);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            _mySqlFailure = ex;
            throw new EnvironmentStartException(Name, "MariaDB", ex);
        }
        catch (OperationCanceledException)
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private async ValueTask StopTargetsAsync()
    {
        await _mySqlStart.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_mySqlProxy is { } proxy)
            {
                _mySqlProxy = null;
                await proxy.DisposeAsync().ConfigureAwait(false);
            }

            if (_mySql is { } server)
            {
                _mySql = null;
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _mySqlStart.Release();
        }
    }
}
