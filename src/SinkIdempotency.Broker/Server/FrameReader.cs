using System.Buffers;
using System.Buffers.Binary;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Server;

/// <summary>
/// Splits a byte stream into Kafka frames (int32 size + payload) using one receive buffer and pooled
/// frame buffers.
/// </summary>
/// <remarks>
/// A frame buffer grows with the bytes that actually arrive, never with the size a frame merely
/// declares, so a hostile size up to the cap costs nothing until the peer really sends that much.
/// </remarks>
internal sealed class FrameReader(Stream stream, int maxFrameBytes)
{
    /// <summary>The smallest request: ApiKey, ApiVersion, CorrelationId and a ClientId length.</summary>
    public const int MinFrameBytes = 10;

    private const int InitialFrameBuffer = 64 * 1024;

    private readonly byte[] _receive = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Reads the next frame into a rented buffer; null when the peer closed cleanly between frames.</summary>
    /// <exception cref="ProtocolException">The size is out of range or the stream ends inside a frame.</exception>
    public async ValueTask<RentedFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(4, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var size = BinaryPrimitives.ReadInt32BigEndian(_receive.AsSpan(_start, 4));
        _start += 4;
        if (size < MinFrameBytes || size > maxFrameBytes)
        {
            throw new ProtocolException($"frame size {size} is outside [{MinFrameBytes}, {maxFrameBytes}]");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(size, InitialFrameBuffer));
        var received = 0;
        try
        {
            while (received < size)
            {
                if (_start == _end)
                {
                    var read = await stream.ReadAsync(_receive, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new ProtocolException($"connection closed after {received} of {size} frame bytes");
                    }

                    _start = 0;
                    _end = read;
                }

                var take = Math.Min(size - received, _end - _start);
                if (received + take > buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, Math.Max((long)buffer.Length * 2, received + take)));
                    buffer.AsSpan(0, received).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                _receive.AsSpan(_start, take).CopyTo(buffer.AsSpan(received));
                _start += take;
                received += take;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new RentedFrame(buffer, size);
    }

    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            _receive.AsSpan(_start, _end - _start).CopyTo(_receive);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            var read = await stream.ReadAsync(_receive.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == 0)
                {
                    return false;
                }

                throw new ProtocolException($"connection closed inside a frame size ({_end} of 4 bytes)");
            }

            _end += read;
        }

        return true;
    }
}

/// <summary>A frame's payload in a buffer rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
internal readonly record struct RentedFrame(byte[] Buffer, int Length)
{
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
