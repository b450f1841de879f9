using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Proxy;

/// <summary>Carries one client connection and its target connection through the proxy: two pumps, a gate that reads the target's replies, and a delayed writer.</summary>
internal sealed class ProxyConnection
{
    private readonly TargetFaultProxy _proxy;
    private readonly Socket _client;
    private readonly Socket _target;
    private readonly int _bufferSize;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<DelayedChunk> _toClient = Channel.CreateUnbounded<DelayedChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _aborted = new();
    private readonly IReplyGate _gate;
    // 0 while bytes flow; otherwise the TargetFaultBehaviour that blackholed the connection, plus one.
    private int _blackholedBy;
    private bool _withheldDescribed;
    private int _closed;

    public ProxyConnection(TargetFaultProxy proxy, long id, Socket client, Socket target, int bufferSize, TimeProvider timeProvider, TargetWireProtocol protocol)
    {
        _gate = protocol switch
        {
            TargetWireProtocol.MySql => new MySqlReplyGate(),
            TargetWireProtocol.Http => new HttpReplyGate(),
            _ => new PostgreSqlReplyGate(),
        };
        _proxy = proxy;
        Id = id;
        _client = client;
        _target = target;
        _bufferSize = bufferSize;
        _timeProvider = timeProvider;
    }

    public long Id { get; }

    public bool IsBlackholed => Volatile.Read(ref _blackholedBy) != 0;

    private TargetFaultBehaviour BlackholedBy => (TargetFaultBehaviour)(Volatile.Read(ref _blackholedBy) - 1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborted.Token);
        var token = linked.Token;
        var up = PumpClientToTargetAsync(token);
        var down = PumpTargetToClientAsync(token);
        var writer = WriteToClientAsync(token);
        try
        {
            await Task.WhenAll(up, down, writer).ConfigureAwait(false);
        }
        catch
        {
            // A pump fails when either side resets or the proxy aborts the connection; the connection is over either way.
        }
        finally
        {
            Close(reset: false);
            _aborted.Dispose();
        }
    }

    /// <summary>Marks the connection so no byte from the target reaches the client again (a blackhole keeps the stream from resuming mid-message).</summary>
    /// <param name="cause">The behaviour that blackholes it, for the evidence.</param>
    /// <returns><see langword="true"/> when this call blackholed it; <see langword="false"/> when it already was.</returns>
    public bool Blackhole(TargetFaultBehaviour cause) => Interlocked.CompareExchange(ref _blackholedBy, (int)cause + 1, 0) == 0;

    public void Reset() => Close(reset: true);

    private async Task PumpClientToTargetAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        try
        {
            while (true)
            {
                var read = await _client.ReceiveAsync(buffer.AsMemory(0, _bufferSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    ShutdownSend(_target);
                    return;
                }

                _gate.OnClientBytes(buffer.AsSpan(0, read));
                _proxy.OnClientBytes(this);
                await SendAllAsync(_target, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                _proxy.CountClientToTarget(read);
            }
        }
        catch
        {
            Abort();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PumpTargetToClientAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
                int read;
                try
                {
                    read = await _target.ReceiveAsync(buffer.AsMemory(0, _bufferSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    _toClient.Writer.TryComplete();
                    return;
                }

                if (_proxy.ShouldWithhold(this))
                {
                    // The first withheld bytes of a connection blackholed by another behaviour are named once; a durable
                    // write's reply was named when it was found.
                    if (!_withheldDescribed)
                    {
                        _withheldDescribed = true;
                        _proxy.RecordWithheld(this, BlackholedBy, _gate.DescribeWithheld(buffer.AsSpan(0, read)));
                    }

                    ArrayPool<byte>.Shared.Return(buffer);
                    _proxy.CountWithheld(read);
                    continue;
                }

                var readAt = _timeProvider.GetTimestamp();
                var latency = _proxy.CurrentLatency;
                var gated = _gate.OnServerBytes(buffer.AsSpan(0, read), _proxy);
                if (gated.ForwardWholeChunk)
                {
                    _toClient.Writer.TryWrite(new DelayedChunk(buffer, read, readAt, latency));
                    continue;
                }

                ArrayPool<byte>.Shared.Return(buffer);
                if (gated.WithheldReply is { } reply)
                {
                    _withheldDescribed = true;
                    _proxy.OnDurableWriteReplyWithheld(this, reply, gated.WithheldBytes);
                }

                if (gated.Forward is { } forward)
                {
                    _toClient.Writer.TryWrite(new DelayedChunk(forward, gated.ForwardLength, readAt, latency));
                }
            }
        }
        catch
        {
            _toClient.Writer.TryComplete();
            Abort();
            throw;
        }
    }

    private async Task WriteToClientAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chunk in _toClient.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // The added latency is never less than what was asked for, counted from when the target's bytes arrived.
                    await DelayAtLeast.WaitAsync(chunk.ReadAt, chunk.Latency, _timeProvider, cancellationToken).ConfigureAwait(false);

                    // Bytes delayed before a blackhole are withheld with it, except before a durable write's reply: that cut
                    // is exact in the stream, and what the server sent before the reply still reaches the client.
                    if (IsBlackholed && BlackholedBy != TargetFaultBehaviour.WithholdDurableWriteReply)
                    {
                        _proxy.CountWithheld(chunk.Length);
                        continue;
                    }

                    await SendAllAsync(_client, chunk.Buffer.AsMemory(0, chunk.Length), cancellationToken).ConfigureAwait(false);
                    _proxy.CountTargetToClient(chunk.Length);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }
            }

            // The target closed its side; a blackholed client must not learn even that, so it keeps waiting like a client behind a dead network.
            if (!IsBlackholed)
            {
                ShutdownSend(_client);
            }
        }
        catch
        {
            Abort();
            throw;
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private static void ShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch
        {
            // The peer is already gone.
        }
    }

    private void Abort()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Close(bool reset)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        if (reset)
        {
            Abort();
        }

        foreach (var socket in new[] { _client, _target })
        {
            try
            {
                if (reset)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }

                socket.Close();
            }
            catch
            {
                // Closing a socket the peer already reset.
            }
        }

        _proxy.OnConnectionClosed(this);
    }

    private readonly record struct DelayedChunk(byte[] Buffer, int Length, long ReadAt, TimeSpan Latency);
}
