using System.Buffers.Binary;
using System.Text;

namespace SinkIdempotency.Proxy;

/// <summary>Splits the byte stream a PostgreSQL server sends into protocol messages, chunk by chunk, keeping each message's position in the stream.</summary>
/// <remarks>
/// Message format (protocol 3.0): a type byte, an Int32 length that counts itself, then the body. Before the startup
/// message a client may ask for TLS or GSS encryption (SSLRequest, GSSENCRequest); the server answers each with a single
/// untyped byte, <c>N</c> to go on in clear text, <c>S</c>/<c>G</c> to encrypt. The client's side is read only up to its
/// startup message, to know how many such bytes come first. An encrypted stream, or bytes that are not the protocol,
/// make the scanner give up: it reports no more messages on that connection (<see cref="IsOpaque"/>).
/// </remarks>
internal sealed class PostgreSqlBackendScanner
{
    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;
    private const int MaxTagBytes = 64;

    // A length above this is not a PostgreSQL message (the server's limit is 1 GB): the stream is something else.
    private const int MaxMessageLength = 0x40000000;

    private readonly Lock _clientGate = new();
    private readonly byte[] _clientHeader = new byte[8];
    private readonly byte[] _header = new byte[5];
    private readonly byte[] _capture = new byte[MaxTagBytes];
    private int _clientHeaderFill;
    private long _clientSkip;
    private bool _clientStarted;
    private int _negotiationReplies;
    private bool _clientOpaque;

    private long _position;
    private int _headerFill;
    private long _messageStart;
    private long _bodyRemaining;
    private int _captureFill;
    private bool _opaque;

    /// <summary>Gets a value indicating whether the stream is no longer read as PostgreSQL messages (encrypted, or not the protocol).</summary>
    public bool IsOpaque => _opaque || Volatile.Read(ref _clientOpaque);

    /// <summary>Gets the number of server bytes scanned so far.</summary>
    public long Position => _position;

    /// <summary>Gets the stream position where the message still being received starts, or <see langword="null"/> when the last chunk ended between messages.</summary>
    public long? IncompleteStart => _headerFill > 0 || _bodyRemaining > 0 ? _messageStart : null;

    /// <summary>Gets the type byte of the message still being received, or 0 when its header is not complete yet (or none is being received).</summary>
    public byte IncompleteType => _headerFill == _header.Length ? _header[0] : (byte)0;

    /// <summary>Reads bytes the client sends, up to its startup message, to learn how many single-byte encryption answers the server sends first.</summary>
    /// <param name="bytes">Bytes from the client, in order.</param>
    public void OnClientBytes(ReadOnlySpan<byte> bytes)
    {
        if (Volatile.Read(ref _clientStarted))
        {
            return;
        }

        lock (_clientGate)
        {
            while (!bytes.IsEmpty && !Volatile.Read(ref _clientStarted))
            {
                if (_clientSkip > 0)
                {
                    var skip = (int)Math.Min(_clientSkip, bytes.Length);
                    _clientSkip -= skip;
                    bytes = bytes[skip..];
                    continue;
                }

                var take = Math.Min(_clientHeader.Length - _clientHeaderFill, bytes.Length);
                bytes[..take].CopyTo(_clientHeader.AsSpan(_clientHeaderFill));
                _clientHeaderFill += take;
                bytes = bytes[take..];
                if (_clientHeaderFill < _clientHeader.Length)
                {
                    return;
                }

                _clientHeaderFill = 0;
                var length = BinaryPrimitives.ReadInt32BigEndian(_clientHeader);
                var code = BinaryPrimitives.ReadInt32BigEndian(_clientHeader.AsSpan(4));
                if (length is < 8 or > 10_000)
                {
                    // Not a startup packet: a client that starts TLS directly (sslnegotiation=direct) or another protocol.
                    Volatile.Write(ref _clientOpaque, true);
                    Volatile.Write(ref _clientStarted, true);
                    return;
                }

                _clientSkip = length - 8;
                if (code is SslRequestCode or GssEncRequestCode)
                {
                    _negotiationReplies++;
                }
                else
                {
                    // The startup message (or a cancel request, after which the server closes): typed messages follow.
                    Volatile.Write(ref _clientStarted, true);
                }
            }
        }
    }

    /// <summary>Scans bytes the server sends and adds every message that ends inside them to <paramref name="completed"/>.</summary>
    /// <param name="bytes">The next bytes from the server.</param>
    /// <param name="completed">Receives the messages completed by these bytes, in order; a message may have started in an earlier chunk.</param>
    public void OnServerBytes(ReadOnlySpan<byte> bytes, List<PostgreSqlBackendMessage> completed)
    {
        var start = _position;
        _position += bytes.Length;
        if (IsOpaque)
        {
            return;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            var at = start + offset;
            if (_bodyRemaining > 0)
            {
                var take = (int)Math.Min(_bodyRemaining, bytes.Length - offset);
                Capture(bytes.Slice(offset, take));
                _bodyRemaining -= take;
                offset += take;
                if (_bodyRemaining == 0)
                {
                    Complete(start + offset, completed);
                }

                continue;
            }

            if (_headerFill == 0 && TakeNegotiationReply())
            {
                var answer = bytes[offset];
                offset++;
                if (answer is (byte)'S' or (byte)'G')
                {
                    _opaque = true;
                    return;
                }

                continue;
            }

            if (_headerFill == 0)
            {
                _messageStart = at;
            }

            var headerTake = Math.Min(_header.Length - _headerFill, bytes.Length - offset);
            bytes.Slice(offset, headerTake).CopyTo(_header.AsSpan(_headerFill));
            _headerFill += headerTake;
            offset += headerTake;
            if (_headerFill < _header.Length)
            {
                continue;
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(1));
            if (length is < 4 or > MaxMessageLength)
            {
                _opaque = true;
                return;
            }

            _captureFill = 0;
            _bodyRemaining = length - 4;
            if (_bodyRemaining == 0)
            {
                Complete(start + offset, completed);
            }
        }
    }

    /// <summary>Names a message for evidence: its protocol name, with the command tag of a CommandComplete and the status of a ReadyForQuery.</summary>
    /// <param name="message">The message.</param>
    /// <returns>For example <c>CommandComplete "INSERT 0 3"</c> or <c>ReadyForQuery 'I'</c>.</returns>
    public static string Describe(PostgreSqlBackendMessage message) => message.Type switch
    {
        (byte)'C' => $"CommandComplete \"{message.Tag}\"",
        (byte)'Z' => $"ReadyForQuery '{(char)message.Status}'",
        (byte)'1' => "ParseComplete",
        (byte)'2' => "BindComplete",
        (byte)'3' => "CloseComplete",
        (byte)'D' => "DataRow",
        (byte)'T' => "RowDescription",
        (byte)'n' => "NoData",
        (byte)'t' => "ParameterDescription",
        (byte)'E' => "ErrorResponse",
        (byte)'N' => "NoticeResponse",
        (byte)'R' => "Authentication",
        (byte)'S' => "ParameterStatus",
        (byte)'K' => "BackendKeyData",
        (byte)'G' => "CopyInResponse",
        (byte)'H' => "CopyOutResponse",
        (byte)'d' => "CopyData",
        (byte)'c' => "CopyDone",
        (byte)'s' => "PortalSuspended",
        (byte)'I' => "EmptyQueryResponse",
        (byte)'A' => "NotificationResponse",
        (byte)'v' => "NegotiateProtocolVersion",
        _ => $"message '{(char)message.Type}'",
    };

    private bool TakeNegotiationReply()
    {
        lock (_clientGate)
        {
            if (_negotiationReplies == 0)
            {
                return false;
            }

            _negotiationReplies--;
            return true;
        }
    }

    private void Capture(ReadOnlySpan<byte> body)
    {
        var type = _header[0];
        if (type is not ((byte)'C' or (byte)'Z') || _captureFill >= _capture.Length)
        {
            return;
        }

        var take = Math.Min(_capture.Length - _captureFill, body.Length);
        body[..take].CopyTo(_capture.AsSpan(_captureFill));
        _captureFill += take;
    }

    private void Complete(long end, List<PostgreSqlBackendMessage> completed)
    {
        var type = _header[0];
        string? tag = null;
        byte status = 0;
        if (type == (byte)'C')
        {
            var text = _capture.AsSpan(0, _captureFill);
            var zero = text.IndexOf((byte)0);
            tag = Encoding.ASCII.GetString(zero >= 0 ? text[..zero] : text);
        }
        else if (type == (byte)'Z' && _captureFill > 0)
        {
            status = _capture[0];
        }

        completed.Add(new PostgreSqlBackendMessage(type, _messageStart, end, tag, status));
        _headerFill = 0;
        _captureFill = 0;
    }
}
