using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace SinkIdempotency.Broker.Server;

/// <summary>Accepts connections on 127.0.0.1, tracks them and closes them all on shutdown.</summary>
internal sealed class BrokerServer : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private readonly RequestDispatcher _dispatcher;
    private readonly BrokerState _state;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, (BrokerConnection Connection, Task Run)> _connections = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextConnectionId;
    private int _disposed;

    public BrokerServer(RequestDispatcher dispatcher, BrokerState state)
    {
        _dispatcher = dispatcher;
        _state = state;
        _logger = state.CreateLogger<BrokerServer>();
    }

    /// <summary>Gets the bound port (after <see cref="Start"/>).</summary>
    public int Port { get; private set; }

    /// <summary>Gets the number of open client connections.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Binds 127.0.0.1:<paramref name="port"/> (0 = any free port) and starts accepting.</summary>
    /// <exception cref="SocketException">The port is in use or cannot be bound.</exception>
    public void Start(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Closes the given connections (the fault API's "close every connection of a client id").</summary>
    /// <returns>How many of them were open and are now closed.</returns>
    public int CloseConnections(IReadOnlyCollection<long> connectionIds)
    {
        var closed = 0;
        foreach (var id in connectionIds)
        {
            if (_connections.TryGetValue(id, out var entry))
            {
                entry.Connection.Close();
                closed++;
            }
        }

        return closed;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);

        var runs = new List<Task>();
        foreach (var (connection, run) in _connections.Values)
        {
            connection.Close();
            runs.Add(run);
        }

        var all = Task.WhenAll(runs);
        if (await Task.WhenAny(all, Task.Delay(ShutdownGrace, _state.TimeProvider)).ConfigureAwait(false) != all)
        {
            _logger.LogWarning("{Count} connection(s) did not finish within {Grace} of shutdown; abandoning them", runs.Count(r => !r.IsCompleted), ShutdownGrace);
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var listener = _listener!;
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                _logger.LogWarning("Accept failed: {Reason}", ex.Message);

                // Back off briefly so a persistent failure (e.g. out of file descriptors) does not spin a core.
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            socket.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new BrokerConnection(id, socket, _dispatcher, _state, _stopping.Token);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = RunConnectionAsync(connection, started.Task);
            _connections[id] = (connection, run);
            started.SetResult();
            if (_stopping.IsCancellationRequested)
            {
                connection.Close();
            }
        }
    }

    private async Task RunConnectionAsync(BrokerConnection connection, Task registered)
    {
        await registered.ConfigureAwait(false);
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Connection {ConnectionId} failed", connection.Id);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
