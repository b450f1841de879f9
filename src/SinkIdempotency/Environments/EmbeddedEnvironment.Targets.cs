using System.Globalization;
using SinkIdempotency.Embedded;
using SinkIdempotency.Proxy;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.Http;

namespace SinkIdempotency.Environments;

/// <content>Targets beyond PostgreSQL: a local MariaDB started the first time a scenario needs it, with a MySQL-protocol fault proxy; a folder for the file sink's targets made the first time one is asked for; an HTTP target server with an HTTP fault proxy started the first time an HTTP target is asked for.</content>
public sealed partial class EmbeddedEnvironment : ISinkTargetHost
{
    private const string FilesRootPrefix = "files-target.tmp-";

    private readonly SemaphoreSlim _mySqlStart = new(1, 1);
    private LocalMySql? _mySql;
    private TargetFaultProxy? _mySqlProxy;
    private Exception? _mySqlFailure;
    private string? _filesRoot;
    private HttpTargetServer? _httpServer;
    private TargetFaultProxy? _httpProxy;
    private PostgreSqlSinkTarget? _postgreSqlDrain;
    private MySqlSinkTarget? _mySqlDrain;
    private HttpSinkTarget? _httpDrain;

    /// <inheritdoc/>
    public IReadOnlyList<string> TargetKinds { get; } = [ScenarioTarget.MySqlKind, ScenarioTarget.FilesAppendKind, ScenarioTarget.FilesDeterministicKind, ScenarioTarget.HttpPlainKind, ScenarioTarget.HttpIdempotencyKeyKind];

    /// <summary>Gets the folder under which the files targets' runs write, or <see langword="null"/> until a scenario has needed one.</summary>
    /// <value>A folder <c>files-target.tmp-&lt;pid&gt;-&lt;guid&gt;</c> under the temp folder's <c>sinkidempotency</c>, deleted with the environment (and by the next environment if its owner died).</value>
    public string? FilesRoot => _filesRoot;

    /// <summary>Gets the HTTP target server both HTTP target kinds write to (each run under a path of its own), or <see langword="null"/> until a scenario has needed it.</summary>
    /// <value>A server on 127.0.0.1 that honours idempotency keys; stopped with the environment.</value>
    public HttpTargetServer? HttpServer => _httpServer;

    /// <summary>Gets the local MariaDB target, or <see langword="null"/> until a scenario has needed it.</summary>
    public LocalMySql? MySql => _mySql;

    /// <inheritdoc/>
    /// <remarks>A start that failed fails every later call with the same error: the server is not retried behind a run's back.</remarks>
    public async Task<ISinkTarget> OpenTargetAsync(string kind, CancellationToken cancellationToken = default)
    {
        if (!TargetKinds.Contains(kind, StringComparer.Ordinal))
        {
            throw new NotSupportedException($"The {Name} environment serves the {ScenarioTarget.PostgreSqlKind}, {string.Join(", ", TargetKinds)} targets, not '{kind}'.");
        }

        EnsureStarted();
        await _mySqlStart.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (kind is ScenarioTarget.HttpPlainKind or ScenarioTarget.HttpIdempotencyKeyKind)
            {
                if (_httpServer is null)
                {
                    await StartHttpAsync(cancellationToken).ConfigureAwait(false);
                }

                return new HttpSinkTarget(kind, _httpServer!, _httpProxy);
            }

            if (kind != ScenarioTarget.MySqlKind)
            {
                return new FileSinkTarget(kind, _filesRoot ??= CreateFilesRoot());
            }

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

    // The targets a frozen worker may have written to, each with the port its sinks connect to directly; a freeze asks
    // each whether a write of the worker is still in progress. Files have no connection to wait for.
    private IReadOnlyList<(int Port, string Name, ISinkTarget Target)> DrainTargets()
    {
        List<(int Port, string Name, ISinkTarget Target)> targets = [];
        lock (_gate)
        {
            _postgreSqlDrain ??= new PostgreSqlSinkTarget(Target, _proxy, own: null);
            targets.Add((PostgreSql.Port, "PostgreSQL", _postgreSqlDrain));
        }

        if (_mySqlDrain is { } mySql && _mySql is { } server)
        {
            targets.Add((server.Port, "MariaDB", mySql));
        }

        if (_httpDrain is { } http && _httpServer is { } httpServer)
        {
            targets.Add((httpServer.Url.Port, "HTTP target server", http));
        }

        return targets;
    }

    private async Task StartMySqlAsync(CancellationToken cancellationToken)
    {
        var started = _options.TimeProvider.GetTimestamp();
        LocalMySql? server = null;
        try
        {
            server = _options.SharedServers is { } shared
                ? await shared.GetMySqlAsync(cancellationToken).ConfigureAwait(false)
                : await _options.MySql.StartAsync(cancellationToken).ConfigureAwait(false);
            if (_options.TargetProxy)
            {
                _mySqlProxy = await TargetFaultProxy.StartAsync(
                    new TargetFaultProxyOptions { TargetHost = server.Host, TargetPort = server.Port, Protocol = TargetWireProtocol.MySql, TimeProvider = _options.TimeProvider },
                    cancellationToken).ConfigureAwait(false);
            }

            _mySql = server;
            _mySqlDrain = new MySqlSinkTarget(server.ConnectionString, server.Host, server.Port, proxy: null);
            RecordDuration("MariaDB", started);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (server is not null && _options.SharedServers is null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            // A shared server's failure already names MariaDB.
            _mySqlFailure = ex is EnvironmentStartException { Part: "MariaDB" } named ? named.InnerException ?? ex : ex;
            throw new EnvironmentStartException(Name, "MariaDB", _mySqlFailure);
        }
        catch (OperationCanceledException)
        {
            if (server is not null && _options.SharedServers is null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private async Task StartHttpAsync(CancellationToken cancellationToken)
    {
        var server = _options.SharedServers is { } shared
            ? await shared.GetHttpServerAsync(cancellationToken).ConfigureAwait(false)
            : await HttpTargetServer.StartAsync(new HttpTargetServerOptions { TimeProvider = _options.TimeProvider }, cancellationToken).ConfigureAwait(false);
        try
        {
            if (_options.TargetProxy)
            {
                _httpProxy = await TargetFaultProxy.StartAsync(
                    new TargetFaultProxyOptions { TargetHost = server.Url.Host, TargetPort = server.Url.Port, Protocol = TargetWireProtocol.Http, TimeProvider = _options.TimeProvider },
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            if (_options.SharedServers is null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        _httpServer = server;
        _httpDrain = new HttpSinkTarget(ScenarioTarget.HttpPlainKind, server, proxy: null);
    }

    // Made once per environment; roots left by environments whose process died are deleted first.
    private static string CreateFilesRoot()
    {
        var parent = Path.Combine(Path.GetTempPath(), "sinkidempotency");
        Directory.CreateDirectory(parent);
        foreach (var orphan in Directory.GetDirectories(parent, FilesRootPrefix + "*"))
        {
            ClusterFiles.DeleteIfOwnerDead(orphan);
        }

        var root = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $"{FilesRootPrefix}{System.Environment.ProcessId}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(root);
        return root;
    }

    private async ValueTask StopTargetsAsync()
    {
        await _mySqlStart.WaitAsync().ConfigureAwait(false);
        try
        {
            _mySqlDrain = null;
            _httpDrain = null;
            PostgreSqlSinkTarget? postgreSqlDrain;
            lock (_gate)
            {
                postgreSqlDrain = _postgreSqlDrain;
                _postgreSqlDrain = null;
            }

            if (postgreSqlDrain is not null)
            {
                await postgreSqlDrain.DisposeAsync().ConfigureAwait(false);
            }

            if (_filesRoot is { } files)
            {
                _filesRoot = null;
                if (Directory.Exists(files))
                {
                    Directory.Delete(files, recursive: true);
                }
            }

            if (_httpProxy is { } httpProxy)
            {
                _httpProxy = null;
                await httpProxy.DisposeAsync().ConfigureAwait(false);
            }

            if (_httpServer is { } httpServer)
            {
                _httpServer = null;
                if (_options.SharedServers is null)
                {
                    await httpServer.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (_mySqlProxy is { } proxy)
            {
                _mySqlProxy = null;
                await proxy.DisposeAsync().ConfigureAwait(false);
            }

            if (_mySql is { } server)
            {
                _mySql = null;
                if (_options.SharedServers is null)
                {
                    await server.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _mySqlStart.Release();
        }
    }
}
