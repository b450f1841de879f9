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
    private readonly ServerReplyBuffer _server = new();
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

            _server.Append(chunk);
            var position = 0;
            while (position < _server.Length)
            {
                var span = _server.AsSpan(position);
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
                        return _server.Pass(chunk.Length, _server.Length, _server.Length);
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
                if (status is >= 200 and < 300 && _server.IsUnforwarded(position) && trigger.IsArmed && trigger.TryClaim())
                {
                    _opaque = true;
                    return _server.Withhold(position, $"the HTTP response '{statusLine}' (the server applied the request)");
                }

                position += end + HeadEnd.Length;
            }

            // While armed, an incomplete head is held whole; otherwise everything passes now.
            return _server.Pass(chunk.Length, trigger.IsArmed && _state == State.Head ? position : _server.Length, position);
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
}
