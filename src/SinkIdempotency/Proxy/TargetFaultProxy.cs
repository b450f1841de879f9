using System.Collections.Concurrent;
using System.Net.Sockets;

namespace SinkIdempotency.Proxy;

/// <summary>Forwards TCP connections from 127.0.0.1 to a target store and injects network faults into them on demand.</summary>
/// <remarks>
/// "Withhold" works per connection: once a byte from the target is discarded on a connection, every later byte on that
/// connection is discarded too (the connection is blackholed), because resuming mid-stream would hand the client a
/// corrupted protocol stream. A blackholed connection stays so until the client or the target closes it; switching back
/// to <see cref="Pass"/> only affects connections that were not blackholed and new ones. The proxy reads the target's
/// side of the wire as PostgreSQL protocol messages, so it can withhold exactly the reply that makes a write durable
/// (<see cref="WithholdNextDurableWriteReply"/>) whatever the client sends, and name every withheld reply
/// (<see cref="WithheldReplies"/>).
/// </remarks>
public sealed partial class TargetFaultProxy : IAsyncDisposable, IDurableReplyTrigger
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly TimeSpan _targetConnectTimeout;
    private readonly int _bufferSize;
    private readonly TargetWireProtocol _protocol;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, ProxyConnection> _connections = new();
    private readonly ConcurrentDictionary<long, Task> _connectionTasks = new();
    private readonly List<Task> _acceptLoops = [];
    private readonly List<TargetFaultProxyEvent> _history = [];
    private readonly List<TargetFaultProxyWithheldReply> _withheldReplies = [];
    private Socket? _listener;
    private TargetFaultBehaviour _behaviour = TargetFaultBehaviour.Pass;
    private long _latencyTicks;
    private int _withholdNextArmed;
    private int _durableWriteArmed;
    private long _nextConnectionId;
    private int _disposed;

    private TargetFaultProxy(TargetFaultProxyOptions options)
    {
        _targetHost = options.TargetHost;
        _targetPort = options.TargetPort;
        _targetConnectTimeout = options.TargetConnectTimeout;
        _bufferSize = options.BufferSize;
        _protocol = options.Protocol;
        _timeProvider = options.TimeProvider;
        Port = options.ListenPort;
    }

    /// <summary>Gets the wire protocol the proxy reads on the target's side.</summary>
    /// <value><see cref="TargetFaultProxyOptions.Protocol"/>.</value>
    public TargetWireProtocol Protocol => _protocol;

    /// <summary>Gets the address the proxy listens on; clients connect here instead of to the target.</summary>
    public static string Host => "127.0.0.1";

    /// <summary>Gets the port the proxy listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Gets the host and port of the target the proxy forwards to.</summary>
    public string Target => $"{_targetHost}:{_targetPort}";

    /// <summary>Gets the behaviour currently in force.</summary>
    public TargetFaultBehaviour Behaviour
    {
        get
        {
            lock (_gate)
            {
                return _behaviour;
            }
        }
    }

    /// <summary>Gets every behaviour change since the proxy started, oldest first, starting with <see cref="TargetFaultBehaviour.Pass"/>.</summary>
    public IReadOnlyList<TargetFaultProxyEvent> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Gets the first reply withheld on each blackholed connection, oldest first: why and what it was.</summary>
    public IReadOnlyList<TargetFaultProxyWithheldReply> WithheldReplies
    {
        get
        {
            lock (_gate)
            {
                return [.. _withheldReplies];
            }
        }
    }

    /// <inheritdoc/>
    bool IDurableReplyTrigger.IsArmed => Volatile.Read(ref _durableWriteArmed) == 1;

    internal TimeSpan CurrentLatency => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));

    /// <summary>Starts a proxy that listens on 127.0.0.1 and forwards every accepted connection to the target.</summary>
    /// <param name="options">The target and the listening port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running proxy, in <see cref="TargetFaultBehaviour.Pass"/>.</returns>
    public static Task<TargetFaultProxy> StartAsync(TargetFaultProxyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var proxy = new TargetFaultProxy(options);
        lock (proxy._gate)
        {
            proxy.Listen();
            proxy.Record(TargetFaultBehaviour.Pass, null);
        }

        return Task.FromResult(proxy);
    }

    /// <summary>Forwards bytes unchanged again and listens again if connections were refused; blackholed connections stay blackholed.</summary>
    public void Pass() => Switch(TargetFaultBehaviour.Pass, TimeSpan.Zero);

    /// <summary>Delays every chunk the target sends by <paramref name="latency"/> before it reaches the client.</summary>
    /// <param name="latency">The delay added to each reply; positive.</param>
    public void AddLatency(TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(latency, TimeSpan.Zero);
        Switch(TargetFaultBehaviour.Latency, latency);
    }

    /// <summary>Discards the target's replies on every connection (open and new) until <see cref="Pass"/>; requests still reach the target.</summary>
    public void WithholdResponses() => Switch(TargetFaultBehaviour.WithholdResponses, TimeSpan.Zero);

    /// <summary>Blackholes the next connection that sends bytes: that request reaches the target, its reply never reaches the client; other connections flow.</summary>
    /// <remarks>The switch disarms itself (back to <see cref="TargetFaultBehaviour.Pass"/>) as soon as one connection is blackholed.</remarks>
    public void WithholdNextResponse() => Switch(TargetFaultBehaviour.WithholdNextResponse, TimeSpan.Zero);

    /// <summary>Blackholes the first connection on which the target replies that a write is durable: the write commits, the client never hears so.</summary>
    /// <remarks>
    /// The trigger is the server's reply, so it works with any client and any way of sending the commit: a
    /// CommandComplete <c>COMMIT</c> that ends a transaction which wrote (simple query, or a prepared statement sent as
    /// Bind/Execute/Sync as pgjdbc does), or the CommandComplete of an <c>INSERT</c>, <c>UPDATE</c>, <c>DELETE</c>,
    /// <c>COPY</c> or <c>MERGE</c> outside a transaction block, once the ReadyForQuery that follows reports the idle
    /// status <c>I</c> (the write was autocommitted). That reply and everything after it on the connection are withheld
    /// until the client gives up and closes it; what the server sent before it still reaches the client. The switch
    /// disarms itself (back to <see cref="TargetFaultBehaviour.Pass"/>) once one reply is withheld;
    /// <see cref="WithheldReplies"/> says which. A connection encrypted with TLS cannot be read and is never the trigger.
    /// </remarks>
    public void WithholdNextDurableWriteReply() => Switch(TargetFaultBehaviour.WithholdDurableWriteReply, TimeSpan.Zero);

    /// <summary>Resets every open connection now and every new connection as soon as it is accepted, until <see cref="Pass"/>.</summary>
    public void ResetConnections() => Switch(TargetFaultBehaviour.ResetConnections, TimeSpan.Zero);

    /// <summary>Stops listening so new connections are refused by the operating system, until <see cref="Pass"/>; open connections keep flowing.</summary>
    public void RefuseConnections() => Switch(TargetFaultBehaviour.RefuseConnections, TimeSpan.Zero);

    /// <summary>Takes a snapshot of the proxy's counters.</summary>
    /// <returns>The counters at this moment.</returns>
    public TargetFaultProxyCounters GetCounters() => new(
        Interlocked.Read(ref _connectionsAccepted),
        _connections.Count,
        Interlocked.Read(ref _connectionsReset),
        Interlocked.Read(ref _connectionsWithheld),
        Interlocked.Read(ref _targetConnectFailures),
        Interlocked.Read(ref _refusedPeriods),
        Interlocked.Read(ref _bytesClientToTarget),
        Interlocked.Read(ref _bytesTargetToClient),
        Interlocked.Read(ref _responsesWithheld),
        Interlocked.Read(ref _bytesWithheld),
        Interlocked.Read(ref _durableWriteRepliesWithheld));

    /// <summary>Stops listening, closes every connection and waits for the proxy's work to end.</summary>
    /// <returns>A task that completes when nothing of the proxy runs any more.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Task[] loops;
        lock (_gate)
        {
            StopListening();
            loops = [.. _acceptLoops];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var connection in _connections.Values)
        {
            connection.Reset();
        }

        try
        {
            await Task.WhenAll(loops.Concat(_connectionTasks.Values)).ConfigureAwait(false);
        }
        catch
        {
            // Loops and connections end by cancellation; their exceptions carry nothing left to report.
        }

        _stopping.Dispose();
    }

    internal void OnClientBytes(ProxyConnection connection)
    {
        if (Volatile.Read(ref _withholdNextArmed) != 1 || Interlocked.CompareExchange(ref _withholdNextArmed, 0, 1) != 1)
        {
            return;
        }

        if (connection.Blackhole(TargetFaultBehaviour.WithholdNextResponse))
        {
            Interlocked.Increment(ref _connectionsWithheld);
        }

        ReturnToPass(TargetFaultBehaviour.WithholdNextResponse);
    }

    /// <inheritdoc/>
    bool IDurableReplyTrigger.TryClaim()
    {
        if (Interlocked.CompareExchange(ref _durableWriteArmed, 0, 1) != 1)
        {
            return false;
        }

        ReturnToPass(TargetFaultBehaviour.WithholdDurableWriteReply);
        return true;
    }

    internal void OnDurableWriteReplyWithheld(ProxyConnection connection, string reply, int bytes)
    {
        Interlocked.Increment(ref _durableWriteRepliesWithheld);
        if (connection.Blackhole(TargetFaultBehaviour.WithholdDurableWriteReply))
        {
            Interlocked.Increment(ref _connectionsWithheld);
        }

        RecordWithheld(connection, TargetFaultBehaviour.WithholdDurableWriteReply, reply);
        if (bytes > 0)
        {
            CountWithheld(bytes);
        }
    }

    internal void RecordWithheld(ProxyConnection connection, TargetFaultBehaviour behaviour, string reply)
    {
        lock (_gate)
        {
            _withheldReplies.Add(new TargetFaultProxyWithheldReply(_timeProvider.GetUtcNow(), connection.Id, behaviour, reply));
        }
    }

    internal bool ShouldWithhold(ProxyConnection connection)
    {
        if (connection.IsBlackholed)
        {
            return true;
        }

        if (Behaviour != TargetFaultBehaviour.WithholdResponses)
        {
            return false;
        }

        if (connection.Blackhole(TargetFaultBehaviour.WithholdResponses))
        {
            Interlocked.Increment(ref _connectionsWithheld);
        }

        return true;
    }

    internal void OnConnectionClosed(ProxyConnection connection) => _connections.TryRemove(connection.Id, out _);

    /// <summary>Tells whether the connection with this number is still open on both sides of the proxy.</summary>
    /// <param name="connectionId">The proxy's number for the connection, as <see cref="TargetFaultProxyWithheldReply.ConnectionId"/> gives it.</param>
    /// <returns><see langword="true"/> until the client or the target closed it.</returns>
    internal bool IsConnectionOpen(long connectionId) => _connections.ContainsKey(connectionId);

    private void Switch(TargetFaultBehaviour behaviour, TimeSpan latency)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        lock (_gate)
        {
            var previous = _behaviour;
            _behaviour = behaviour;
            Interlocked.Exchange(ref _latencyTicks, latency.Ticks);
            Interlocked.Exchange(ref _withholdNextArmed, behaviour == TargetFaultBehaviour.WithholdNextResponse ? 1 : 0);
            Interlocked.Exchange(ref _durableWriteArmed, behaviour == TargetFaultBehaviour.WithholdDurableWriteReply ? 1 : 0);
            if (behaviour == TargetFaultBehaviour.RefuseConnections && previous != TargetFaultBehaviour.RefuseConnections)
            {
                StopListening();
                Interlocked.Increment(ref _refusedPeriods);
            }
            else if (behaviour != TargetFaultBehaviour.RefuseConnections && _listener is null)
            {
                Listen();
            }

            Record(behaviour, behaviour == TargetFaultBehaviour.Latency ? latency : null);
        }

        if (behaviour == TargetFaultBehaviour.ResetConnections)
        {
            foreach (var connection in _connections.Values)
            {
                ResetConnection(connection);
            }
        }
    }

    // A one-shot behaviour that fired hands over to Pass, unless something else was switched on meanwhile.
    private void ReturnToPass(TargetFaultBehaviour fired)
    {
        lock (_gate)
        {
            if (_behaviour == fired)
            {
                _behaviour = TargetFaultBehaviour.Pass;
                Record(TargetFaultBehaviour.Pass, null);
            }
        }
    }

    private void Record(TargetFaultBehaviour behaviour, TimeSpan? latency) => _history.Add(new TargetFaultProxyEvent(_timeProvider.GetUtcNow(), behaviour, latency));

    private void ResetConnection(ProxyConnection connection)
    {
        Interlocked.Increment(ref _connectionsReset);
        connection.Reset();
    }
}
