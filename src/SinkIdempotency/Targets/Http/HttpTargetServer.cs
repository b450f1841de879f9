using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace SinkIdempotency.Targets.Http;

/// <summary>
/// Hosts an HTTP API on 127.0.0.1 that an HTTP sink writes to: every POST body is one record, every request is written to
/// an audit log, idempotency keys are honoured or not, and faults delay, fail or drop responses.
/// </summary>
/// <remarks>
/// A dropped response is the HTTP form of "the write landed, the reply was lost": the record is applied and the connection is
/// aborted, so a client that retries sends it again, and only an honoured idempotency key keeps the second copy out.
/// </remarks>
public sealed partial class HttpTargetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpTargetServerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<HttpTargetRequest> _audit = [];
    private readonly List<HttpTargetRecord> _records = [];
    // Each path's applied records, so a run's reader neither scans the other runs' paths nor copies its own.
    private readonly Dictionary<string, List<HttpTargetRecord>> _recordsByPath = new(StringComparer.Ordinal);
    // Keys are scoped to the path, as APIs scope them to an account or endpoint: one key means one thing per collection.
    private readonly HashSet<(string Path, string Key)> _appliedKeys = [];
    private readonly List<ActiveFault> _faults = [];

    // Requests whose handler has started and that are not applied or refused yet, by the client's port.
    private readonly Dictionary<int, int> _inProgress = [];
    private bool _honourKeys;
    private bool _disposed;

    private HttpTargetServer(WebApplication app, HttpTargetServerOptions options)
    {
        _app = app;
        _options = options;
        _honourKeys = options.HonourIdempotencyKeys;
    }

    /// <summary>Gets the server's base address, <c>http://127.0.0.1:PORT/</c>; POST records to it or to any path under it.</summary>
    /// <value>Set when the server has started.</value>
    public Uri Url { get; private set; } = null!;

    /// <summary>Counts the requests from the given client ports that the server is handling and has not applied or refused yet.</summary>
    /// <param name="clientPorts">The local ports of the clients' connections (127.0.0.1).</param>
    /// <returns>The number of such requests; a request counts from the start of its handler (while its body is read) until its outcome is recorded.</returns>
    public int CountRequestsInProgress(IReadOnlyCollection<int> clientPorts)
    {
        ArgumentNullException.ThrowIfNull(clientPorts);
        lock (_gate)
        {
            return clientPorts.Sum(port => _inProgress.GetValueOrDefault(port));
        }
    }

    /// <summary>Gets or sets a value indicating whether repeated idempotency keys are answered without being applied again.</summary>
    /// <value>Starts as <see cref="HttpTargetServerOptions.HonourIdempotencyKeys"/>.</value>
    public bool HonourIdempotencyKeys
    {
        get
        {
            lock (_gate)
            {
                return _honourKeys;
            }
        }

        set
        {
            lock (_gate)
            {
                _honourKeys = value;
            }
        }
    }

    /// <summary>Gets a copy of the audit log: every request received, in arrival order.</summary>
    /// <value>The requests so far.</value>
    public IReadOnlyList<HttpTargetRequest> AuditLog
    {
        get
        {
            lock (_gate)
            {
                return [.. _audit];
            }
        }
    }

    /// <summary>Gets a copy of the records applied so far, in the order they were applied.</summary>
    /// <value>The applied records; a record applied twice appears twice.</value>
    public IReadOnlyList<HttpTargetRecord> AppliedRecords
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Gets the number of records applied so far.</summary>
    /// <value>The count of <see cref="AppliedRecords"/>.</value>
    public int AppliedCount
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    /// <param name="options">The options; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    public static async Task<HttpTargetServer> StartAsync(HttpTargetServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new HttpTargetServerOptions();
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        var app = builder.Build();
        var server = new HttpTargetServer(app, options);
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            server._stopping.Dispose();
            throw;
        }

        server.Url = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Adds a fault; faults catch requests in the order they were added, each until its count is used up.</summary>
    /// <param name="fault">The fault.</param>
    public void AddFault(HttpTargetFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        fault.Validate();
        lock (_gate)
        {
            _faults.Add(new ActiveFault(fault));
        }
    }

    /// <summary>Removes every fault, so the following requests are answered normally.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Creates a reader of the applied records for the reconciler.</summary>
    /// <param name="mapping">Which body fields hold the event id, key, version and hashed content; <see cref="JsonValueMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="path">The request path whose records are read, or <see langword="null"/> for every path.</param>
    /// <returns>The reader.</returns>
    public HttpTargetReader CreateReader(JsonValueMapping? mapping = null, string? path = null) => new(this, mapping, path);

    /// <summary>Gets a copy of the records applied so far to one request path, in the order they were applied.</summary>
    /// <param name="path">The request path, for example <c>/orders</c>.</param>
    /// <returns>The applied records of that path.</returns>
    public IReadOnlyList<HttpTargetRecord> RecordsAt(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_gate)
        {
            return _recordsByPath.TryGetValue(path, out var records) ? [.. records] : [];
        }
    }

    /// <summary>Copies up to <paramref name="destination"/>'s length of the records applied to a path (or every path), from position <paramref name="start"/> in application order.</summary>
    /// <param name="path">The request path, or <see langword="null"/> for every path.</param>
    /// <param name="start">The position of the first record to copy.</param>
    /// <param name="destination">Receives the records.</param>
    /// <returns>The number copied; 0 once <paramref name="start"/> is past the last record.</returns>
    internal int CopyRecords(string? path, int start, HttpTargetRecord[] destination)
    {
        lock (_gate)
        {
            var records = path is null ? _records : _recordsByPath.GetValueOrDefault(path);
            if (records is null || start >= records.Count)
            {
                return 0;
            }

            var count = Math.Min(destination.Length, records.Count - start);
            records.CopyTo(start, destination, 0, count);
            return count;
        }
    }

    /// <summary>Adds an applied record, as a POST that passed the faults and the idempotency keys does.</summary>
    /// <param name="record">The record.</param>
    internal void AddApplied(HttpTargetRecord record)
    {
        lock (_gate)
        {
            AddAppliedLocked(record);
        }
    }

    private void AddAppliedLocked(HttpTargetRecord record)
    {
        _records.Add(record);
        if (!_recordsByPath.TryGetValue(record.Path, out var records))
        {
            records = [];
            _recordsByPath[record.Path] = records;
        }

        records.Add(record);
        if (record.IdempotencyKey is { } key)
        {
            _appliedKeys.Add((record.Path, key));
        }
    }

    /// <summary>Forgets everything one request path holds: its applied records, its idempotency keys and its audit entries, as deleting a collection would.</summary>
    /// <param name="path">The request path, for example <c>/orders</c>.</param>
    /// <returns>The number of records removed.</returns>
    public int RemovePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_gate)
        {
            _appliedKeys.RemoveWhere(k => string.Equals(k.Path, path, StringComparison.Ordinal));
            _audit.RemoveAll(r => string.Equals(r.Path, path, StringComparison.Ordinal));
            if (!_recordsByPath.Remove(path, out var removed))
            {
                return 0;
            }

            _records.RemoveAll(r => string.Equals(r.Path, path, StringComparison.Ordinal));
            return removed.Count;
        }
    }

    /// <summary>Stops the server; held responses are abandoned.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Started(int clientPort)
    {
        lock (_gate)
        {
            _inProgress[clientPort] = _inProgress.GetValueOrDefault(clientPort) + 1;
        }
    }

    // Called under _gate or on its own; Lock is re-entrant.
    private void Finished(int clientPort)
    {
        lock (_gate)
        {
            if (_inProgress.GetValueOrDefault(clientPort) <= 1)
            {
                _inProgress.Remove(clientPort);
            }
            else
            {
                _inProgress[clientPort]--;
            }
        }
    }

    private sealed class ActiveFault(HttpTargetFault fault)
    {
        public HttpTargetFault Fault { get; } = fault;

        public int? Remaining { get; set; } = fault.Times;
    }
}
