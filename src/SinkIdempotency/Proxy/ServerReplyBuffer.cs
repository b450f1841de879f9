using System.Buffers;

namespace SinkIdempotency.Proxy;

/// <summary>Holds a connection's server bytes that a reply gate has not parsed yet, and which of them already went on to the client.</summary>
/// <remarks>Bytes before <c>position</c> (the gate's parse point) are dropped by <see cref="Pass"/>; the rest stay until a whole message can be read.</remarks>
internal sealed class ServerReplyBuffer
{
    private byte[] _bytes = new byte[256];
    private int _unforwardedFrom;

    /// <summary>Gets the number of bytes held.</summary>
    public int Length { get; private set; }

    /// <summary>Gets the byte at an offset.</summary>
    public byte this[int index] => _bytes[index];

    /// <summary>Tells whether the byte at an offset has not been passed to the client yet (a reply starting there can still be withheld whole).</summary>
    public bool IsUnforwarded(int offset) => offset >= _unforwardedFrom;

    /// <summary>Returns held bytes.</summary>
    public ReadOnlySpan<byte> AsSpan(int start, int length) => _bytes.AsSpan(start, length);

    /// <summary>Returns the held bytes from an offset to the end.</summary>
    public ReadOnlySpan<byte> AsSpan(int start) => _bytes.AsSpan(start, Length - start);

    /// <summary>Appends a read from the server.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (_bytes.Length < Length + chunk.Length)
        {
            Array.Resize(ref _bytes, Math.Max(Length + chunk.Length, _bytes.Length * 2));
        }

        chunk.CopyTo(_bytes.AsSpan(Length));
        Length += chunk.Length;
    }

    /// <summary>Withholds everything from an offset on (the durable reply and all after it), passes what came before, and empties the buffer.</summary>
    /// <param name="from">Where the withheld reply starts.</param>
    /// <param name="reply">The reply's description, for the evidence.</param>
    /// <returns>The gate's result.</returns>
    public PostgreSqlGateResult Withhold(int from, string reply)
    {
        var forward = Take(from, out var forwardLength);
        var withheld = Length - from;
        Length = 0;
        _unforwardedFrom = 0;
        return new PostgreSqlGateResult(false, forward, forwardLength, reply, withheld);
    }

    /// <summary>Passes the bytes up to <paramref name="passUpTo"/> on (the read unchanged when nothing was held before it) and keeps those not parsed yet.</summary>
    /// <param name="chunkLength">The length of the read just appended.</param>
    /// <param name="passUpTo">The offset up to which bytes may reach the client now.</param>
    /// <param name="parsedUpTo">The offset up to which the gate has parsed.</param>
    /// <returns>The gate's result.</returns>
    public PostgreSqlGateResult Pass(int chunkLength, int passUpTo, int parsedUpTo)
    {
        if (_unforwardedFrom == Length - chunkLength && passUpTo == Length)
        {
            Compact(parsedUpTo, passUpTo);
            return new PostgreSqlGateResult(true, null, 0, null, 0);
        }

        var result = Take(passUpTo, out var length);
        Compact(parsedUpTo, passUpTo);
        return new PostgreSqlGateResult(false, result, length, null, 0);
    }

    // Copies [_unforwardedFrom, upTo) into a pooled buffer and marks it forwarded.
    private byte[]? Take(int upTo, out int length)
    {
        length = upTo - _unforwardedFrom;
        if (length <= 0)
        {
            length = 0;
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        _bytes.AsSpan(_unforwardedFrom, length).CopyTo(buffer);
        _unforwardedFrom = upTo;
        return buffer;
    }

    private void Compact(int parsedUpTo, int forwardedUpTo)
    {
        var keep = Length - parsedUpTo;
        _bytes.AsSpan(parsedUpTo, keep).CopyTo(_bytes);
        Length = keep;
        _unforwardedFrom = Math.Max(0, forwardedUpTo - parsedUpTo);
    }
}
