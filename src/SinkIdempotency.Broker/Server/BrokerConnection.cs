using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Server;

/// <summary>
/// One client connection: a reader that frames, decodes and dispatches requests as they arrive
/// (pipelining), and a writer that sends the responses strictly in request order.
/// </summary>
/// <remarks>
/// A held request (long-poll Fetch, a parked JoinGroup) only delays the responses queued behind it on
/// this connection, as in Kafka; the reader keeps reading and other connections are unaffected.
/// </remarks>
internal sealed class BrokerConnection : IAsyncDisposable
{
    private const int MaxQueuedRequests = 1024;
    private const int FlushThreshold = 256 * 1024;
    private const int RetainedWriteBuffer = 8 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly RequestDispatcher _dispatcher;
    private readonly BrokerState _state;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing;
    private readonly Channel<PendingResponse> _pending;
    private readonly EndPoint? _remote;
    private readonly long _inFlightBudget;
    private long _inFlightBytes;
    private readonly Lock _closeLock = new();
    private TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    public BrokerConnection(long id, Socket socket, RequestDispatcher dispatcher, BrokerState state, CancellationToken brokerStopping)
    {
        Id = id;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _dispatcher = dispatcher;
        _state = state;
        _logger = state.CreateLogger<BrokerConnection>();
        _closing = CancellationTokenSource.CreateLinkedTokenSource(brokerStopping);
        _remote = socket.RemoteEndPoint;
        _inFlightBudget = state.Options.MaxRequestBytes;
        _pending = Channel.CreateBounded<PendingResponse>(new BoundedChannelOptions(MaxQueuedRequests)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public long Id { get; }

    /// <summary>Runs the connection until the peer disconnects, a protocol error occurs or the broker stops.</summary>
    public async Task RunAsync()
    {
        var writer = Task.Run(WriteLoopAsync);
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            _pending.Writer.TryComplete();
            Close();
            await writer.ConfigureAwait(false);
        }
    }

    /// <summary>Closes the socket; pending handlers see their cancellation token fire.</summary>
    /// <remarks>
    /// The broker's shutdown and the connection's own run both close it, on different threads; the lock keeps
    /// <see cref="DisposeAsync"/> from disposing the cancellation source while another thread is still cancelling it.
    /// </remarks>
    public void Close()
    {
        lock (_closeLock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            try
            {
                _closing.Cancel();
            }
            catch (AggregateException ex)
            {
                _logger.LogWarning(ex, "A cancellation callback failed while closing connection {ConnectionId}", Id);
            }

            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }

            _socket.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        lock (_closeLock)
        {
            _stream.Dispose();
            _closing.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task ReadLoopAsync()
    {
        var frames = new FrameReader(_stream, _state.Options.MaxRequestBytes);
        var token = _closing.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                // Bound memory per connection: stop reading while the queued requests' frames exceed the budget
                // (a client that pipelines but never reads its responses cannot make the broker buffer more).
                while (true)
                {
                    // Take the signal before checking: the writer lowers the count first, then completes the signal.
                    var drained = Volatile.Read(ref _drained);
                    if (Volatile.Read(ref _inFlightBytes) < _inFlightBudget)
                    {
                        break;
                    }

                    await drained.Task.WaitAsync(token).ConfigureAwait(false);
                }

                var frame = await frames.ReadFrameAsync(token).ConfigureAwait(false);
                if (frame is not { } f)
                {
                    _logger.LogDebug("Connection {ConnectionId} from {Remote} closed by the client", Id, _remote);
                    return;
                }

                if (!await AcceptFrameAsync(f, token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (ProtocolException ex)
        {
            _logger.LogWarning("Closing connection {ConnectionId} from {Remote}: {Reason}", Id, _remote, ex.Message);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
            _logger.LogDebug("Connection {ConnectionId} from {Remote} ended: {Reason}", Id, _remote, ex.Message);
        }
    }

    private async ValueTask<bool> AcceptFrameAsync(RentedFrame frame, CancellationToken token)
    {
        ApiKey key;
        short version;
        int correlationId;
        string? clientId;
        int bodyStart;
        try
        {
            var reader = new KafkaReader(frame.Memory.Span);
            key = (ApiKey)reader.ReadInt16();
            version = reader.ReadInt16();
            correlationId = reader.ReadInt32();
            clientId = reader.ReadNullableString();
            if (_dispatcher.Apis.IsFlexible(key, version))
            {
                reader.SkipTaggedFields();
            }

            bodyStart = reader.Position;
        }
        catch (ProtocolException ex)
        {
            frame.Return();
            _logger.LogWarning("Closing connection {ConnectionId} from {Remote}: malformed request header: {Reason}", Id, _remote, ex.Message);
            return false;
        }

        if (!_dispatcher.Apis.IsSupported(key, version))
        {
            frame.Return();
            if (key == ApiKey.ApiVersions)
            {
                // KIP-511: answer an unknown ApiVersions version in v0 form so the client retries lower.
                var fallback = ApiVersionsResponse.UnsupportedVersion(_dispatcher.Apis.Advertised);
                await _pending.Writer.WriteAsync(new PendingResponse(key, 0, correlationId, null, ValueTask.FromResult(new DispatchOutcome(fallback, false))), token).ConfigureAwait(false);
                return true;
            }

            _logger.LogWarning("Closing connection {ConnectionId} from {Remote}: unsupported request {ApiKey} v{Version} (correlation {CorrelationId}, client {ClientId})", Id, _remote, (short)key, version, correlationId, clientId);
            return false;
        }

        Interlocked.Add(ref _inFlightBytes, frame.Buffer.Length);
        var context = new RequestContext(key, version, correlationId, clientId, Id, _remote, frame.Memory[bodyStart..], token);
        var outcome = _dispatcher.DispatchAsync(context);
        await _pending.Writer.WriteAsync(new PendingResponse(key, version, correlationId, frame.Buffer, outcome), token).ConfigureAwait(false);
        return true;
    }

    private async Task WriteLoopAsync()
    {
        var writer = new KafkaWriter(64 * 1024);
        var reader = _pending.Reader;
        var token = _closing.Token;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var pending))
                {
                    var outcome = await pending.Outcome.ConfigureAwait(false);
                    if (pending.FrameBuffer is not null)
                    {
                        Interlocked.Add(ref _inFlightBytes, -pending.FrameBuffer.Length);
                        new RentedFrame(pending.FrameBuffer, 0).Return();
                        Interlocked.Exchange(ref _drained, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                    }

                    if (outcome.CloseConnection)
                    {
                        await FlushAsync(writer, token).ConfigureAwait(false);
                        _logger.LogInformation("Closing connection {ConnectionId} from {Remote} after {ApiKey} (correlation {CorrelationId})", Id, _remote, pending.Key, pending.CorrelationId);
                        Close();
                        return;
                    }

                    if (outcome.Response is not { } response)
                    {
                        continue;
                    }

                    var frameStart = writer.Length;
                    writer.WriteInt32(0);
                    writer.WriteInt32(pending.CorrelationId);
                    if (_dispatcher.Apis.ResponseHasHeaderTags(pending.Key, pending.Version))
                    {
                        writer.WriteEmptyTaggedFields();
                    }

                    response.Write(writer, pending.Version);
                    writer.PatchInt32(frameStart, writer.Length - frameStart - 4);
                    if (writer.Length >= FlushThreshold)
                    {
                        await FlushAsync(writer, token).ConfigureAwait(false);
                    }
                }

                await FlushAsync(writer, token).ConfigureAwait(false);
                if (writer.Capacity > RetainedWriteBuffer)
                {
                    writer = new KafkaWriter(64 * 1024);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            _logger.LogDebug("Connection {ConnectionId} writer ended: {Reason}", Id, ex.Message);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Connection {ConnectionId}: failed to encode a response; closing the connection", Id);
        }
        finally
        {
            Close();
        }
    }

    private async ValueTask FlushAsync(KafkaWriter writer, CancellationToken token)
    {
        if (writer.Length == 0)
        {
            return;
        }

        await _stream.WriteAsync(writer.WrittenMemory, token).ConfigureAwait(false);
        writer.Reset();
    }

    // A class, not a struct: channel and builder code over reference types is shared and precompiled, which keeps the first connection fast.
    private sealed record PendingResponse(ApiKey Key, short Version, int CorrelationId, byte[]? FrameBuffer, ValueTask<DispatchOutcome> Outcome);
}
