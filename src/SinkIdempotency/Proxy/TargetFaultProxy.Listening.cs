using System.Net;
using System.Net.Sockets;

namespace SinkIdempotency.Proxy;

/// <content>The listening socket, the accept loop and the set-up of each forwarded connection.</content>
public sealed partial class TargetFaultProxy
{
    private void Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Refusing closes the listener; re-binding the same port afterwards must not fail on lingering sockets.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, Port));
            listener.Listen(512);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new InvalidOperationException(
                $"The target fault proxy could not listen on 127.0.0.1:{Port} ({ex.SocketErrorCode}); another process may have taken the port while connections were refused.",
                ex);
        }

        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _listener = listener;
        _acceptLoops.RemoveAll(loop => loop.IsCompleted);
        _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener, _stopping.Token)));
    }

    private void StopListening()
    {
        _listener?.Dispose();
        _listener = null;
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException or SocketException)
            {
                // The listener was closed to refuse connections or because the proxy is disposed.
                return;
            }

            Interlocked.Increment(ref _connectionsAccepted);
            var id = Interlocked.Increment(ref _nextConnectionId);
            _connectionTasks[id] = HandleAsync(id, client, cancellationToken);
        }
    }

    private async Task HandleAsync(long id, Socket client, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            client.NoDelay = true;
            if (Behaviour == TargetFaultBehaviour.ResetConnections)
            {
                Interlocked.Increment(ref _connectionsReset);
                ResetSocket(client);
                return;
            }

            var target = await ConnectToTargetAsync(cancellationToken).ConfigureAwait(false);
            if (target is null)
            {
                Interlocked.Increment(ref _targetConnectFailures);
                ResetSocket(client);
                return;
            }

            var connection = new ProxyConnection(this, id, client, target, _bufferSize, _timeProvider, _protocol);
            _connections[id] = connection;
            if (Behaviour == TargetFaultBehaviour.ResetConnections || cancellationToken.IsCancellationRequested)
            {
                ResetConnection(connection);
            }

            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ResetSocket(client);
        }
        finally
        {
            _connectionTasks.TryRemove(id, out _);
        }
    }

    private async Task<Socket?> ConnectToTargetAsync(CancellationToken cancellationToken)
    {
        var target = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(_targetConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await target.ConnectAsync(_targetHost, _targetPort, linked.Token).ConfigureAwait(false);
            return target;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            target.Dispose();
            return null;
        }
    }

    private static void ResetSocket(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch
        {
            // Already closed by the peer.
        }
    }
}
