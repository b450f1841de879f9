using System.Buffers;
using System.Globalization;
using System.Text;

namespace SinkIdempotency.Proxy;

/// <summary>Watches one connection's HTTP/1.1 traffic and, while the proxy is armed, finds the successful response that tells the client the server applied its request, so the proxy can withhold it and everything after it.</summary>
/// <remarks>
/// Responses are framed as HTTP/1.1 frames them (RFC 9112 §6): a head up to the empty line, then a body of
/// <c>Content-Length</c> bytes, a chunked body, or none for 1xx, 204 and 304. The durable reply is a final response with a
/// 2xx status: an API answers it only after it applied the request. Requests are not read: HTTP/1.1 clients such as .NET's
/// <c>SocketsHttpHandler</c> and Java's do not pipeline, so responses arrive one per request in order (a response to
/// <c>HEAD</c>, which has no body whatever its headers say, is not expected on a sink's connection). While armed, a head
/// split across reads is held until it is whole, so a trigger is withheld from its first byte or not at all. A
/// connection whose first reply is not HTTP/1.x (TLS, HTTP/2) is opaque and passes unchanged.
/// </remarks>
internal sealed class HttpReplyGate : IReplyGate
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    private readonly Lock _lock = new();
    private byte[] _server = new byte[512];
    private int _serverLength;
    private int _unforwardedFrom;
    private bool _opaque;
    private bool _started;
    private State _state = State.Head;
    private long _remaining;

    private enum State
    {
        Head,
        Body,
        ChunkSize,
        ChunkData,
        Trailer,
        UntilClose,
    }

    /// <inheritdoc />
    public void OnClientBytes(ReadOnlySpan<byte> bytes)
    {
    }

    /// <inheritdoc />
    public PostgreSqlGateResult OnServerBytes(ReadOnlySpan<byte> chunk, IDurableReplyTrigger trigger)
    {
        lock (_lock)
        {
            if (_opaque)
            {
                return new PostgreSqlGateResult(true, null, 0, null, 0);
            }

            if (_server.Length < _serverLength + chunk.Length)
            {
                Array.Resize(ref _server, Math.Max(_serverLength + chunk.Length, _server.Length * 2));
            }

            chunk.CopyTo(_server.AsSpan(_serverLength));
            _serverLength += chunk.Length;
            var position = 0;
            while (position < _serverLength)
            {
                var span = _server.AsSpan(position, _serverLength - position);
                if (_state is State.Body or State.ChunkData or State.UntilClose)
                {
                    var take = _state == State.UntilClose ? span.Length : (int)Math.Min(_remaining, span.Length);
                    position += take;
                    _remaining -= take;
                    if (_state != State.UntilClose && _remaining == 0)
                    {
                        _state = _state == State.Body ? State.Head : State.ChunkSize;
                    }

                    continue;
                }

                if (_state == State.Head && !_started)
                {
                    if (span.Length < 5)
                    {
                        break;
                    }

                    _started = true;
                    if (!span.StartsWith("HTTP/"u8))
                    {
                        _opaque = true;
                        return Pass(chunk.Length, _serverLength, _serverLength);
                    }
                }

                var end = span.IndexOf(_state is State.Head or State.Trailer ? HeadEnd : LineEnd);
                if (_state == State.Trailer && span.StartsWith(LineEnd))
                {
                    end = -2;
                }

                if (end == -1)
                {
                    break;
                }

                if (_state == State.Trailer)
                {
                    position += end == -2 ? LineEnd.Length : end + HeadEnd.Length;
                    _state = State.Head;
                    continue;
                }

                if (_state == State.ChunkSize)
                {
                    var size = Encoding.ASCII.GetString(span[..end]).Split(';')[0].Trim();
                    _remaining = long.Parse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    position += end + LineEnd.Length;
                    (_state, _remaining) = _remaining == 0 ? (State.Trailer, 0L) : (State.ChunkData, _remaining + LineEnd.Length);
                    continue;
                }

                var head = Encoding.ASCII.GetString(span[..end]);
                var status = ParseHead(head, out var statusLine);
                if (status is >= 200 and < 300 && position >= _unforwardedFrom && trigger.IsArmed && trigger.TryClaim())
                {
                    var forward = Take(position, out var forwardLength);
                    var withheld = _serverLength - position;
                    _serverLength = 0;
                    _unforwardedFrom = 0;
                    _opaque = true;
                    return new PostgreSqlGateResult(false, forward, forwardLength, $"the HTTP response '{statusLine}' (the server applied the request)", withheld);
                }

                position += end + HeadEnd.Length;
            }

            // While armed, an incomplete head is held whole; otherwise everything passes now.
            var passUpTo = trigger.IsArmed && _state == State.Head ? position : _serverLength;
            return Pass(chunk.Length, passUpTo, position);
        }
    }

    /// <inheritdoc />
    public string DescribeWithheld(ReadOnlySpan<byte> chunk)
    {
        var text = Encoding.ASCII.GetString(chunk[..Math.Min(chunk.Length, 64)]);
        var line = text.IndexOf('\r', StringComparison.Ordinal) is var cr and > 0 ? text[..cr] : null;
        return line is not null && line.StartsWith("HTTP/", StringComparison.Ordinal)
            ? $"{chunk.Length} byte(s) of HTTP responses, the first '{line}'"
            : $"{chunk.Length} byte(s) of an HTTP response";
    }

    // Reads the status line and the framing headers, and sets the state the body is read in.
    private int ParseHead(string head, out string statusLine)
    {
        var lines = head.Split("\r\n");
        statusLine = lines[0];
        var parts = statusLine.Split(' ', 3);
        var status = parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0;
        long? length = null;
        var chunked = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                length = parsed;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.EndsWith("chunked", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }

        (_state, _remaining) = status is < 200 or 204 or 304
            ? (State.Head, 0L)
            : chunked ? (State.ChunkSize, 0L)
            : length is { } n ? (n == 0 ? State.Head : State.Body, n)
            : (State.UntilClose, 0L);
        return status;
    }

    // Passes the bytes up to passUpTo on (the read unchanged when nothing was held) and keeps what is not parsed yet.
    private PostgreSqlGateResult Pass(int chunkLength, int passUpTo, int parsedUpTo)
    {
        if (_unforwardedFrom == _serverLength - chunkLength && passUpTo == _serverLength)
        {
            Compact(parsedUpTo, passUpTo);
            return new PostgreSqlGateResult(true, null, 0, null, 0);
        }

        var result = Take(passUpTo, out var length);
        Compact(parsedUpTo, passUpTo);
        return new PostgreSqlGateResult(false, result, length, null, 0);
    }

    private void Compact(int parsedUpTo, int forwardedUpTo)
    {
        var keep = _serverLength - parsedUpTo;
        _server.AsSpan(parsedUpTo, keep).CopyTo(_server);
        _serverLength = keep;
        _unforwardedFrom = Math.Max(0, forwardedUpTo - parsedUpTo);
    }

    private byte[]? Take(int upTo, out int length)
    {
        length = upTo - _unforwardedFrom;
        if (length <= 0)
        {
            length = 0;
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        _server.AsSpan(_unforwardedFrom, length).CopyTo(buffer);
        _unforwardedFrom = upTo;
        return buffer;
    }
}
