using System.Buffers.Binary;
using System.Text;

namespace SinkIdempotency.Proxy;

/// <summary>Watches one connection's MySQL/MariaDB traffic and, while the proxy is armed, finds the OK packet that tells the client its write is durable, so the proxy can withhold it and everything after it.</summary>
/// <remarks>
/// <para>
/// The client's commands (packets with sequence id 0) are queued in order, so pipelined commands are matched to their
/// responses: <c>COM_QUERY</c> is classified by its first keyword (<c>COMMIT</c>; <c>INSERT</c>, <c>UPDATE</c>,
/// <c>REPLACE</c>, <c>DELETE</c>; anything else), and <c>COM_STMT_EXECUTE</c> / <c>COM_STMT_BULK_EXECUTE</c> by the
/// statement <c>COM_STMT_PREPARE</c> named (the id comes from the server's prepare reply, looked up when the execute's
/// reply arrives, so an execute pipelined behind its prepare is matched too). Responses are walked packet
/// by packet (result sets, prepare replies with their definitions, EOF or OK terminators per <c>CLIENT_DEPRECATE_EOF</c>).
/// </para>
/// <para>
/// The durable reply is an OK packet whose status shows no open transaction (<c>SERVER_STATUS_IN_TRANS</c> clear) and
/// which answers either a <c>COMMIT</c> after writes in that transaction, or a write run outside a transaction
/// (autocommit) that changed rows. A ROLLBACK, a connection reset or a failed statement is never a trigger. A
/// connection that negotiates TLS or compression is opaque and passes unchanged. While armed, a packet split across
/// reads is held until it is whole, so a trigger is withheld from its first byte or not at all.
/// </para>
/// </remarks>
internal sealed class MySqlReplyGate : IReplyGate
{
    private const uint ClientCompress = 0x20;
    private const uint ClientSsl = 0x800;
    private const uint ClientDeprecateEof = 0x01000000;
    private const ushort StatusInTransaction = 0x0001;
    private const ushort StatusMoreResults = 0x0008;

    private readonly Lock _lock = new();
    private readonly Queue<Command> _commands = new();
    private readonly Queue<CommandKind> _prepares = new();
    private readonly Dictionary<uint, CommandKind> _statements = [];
    private readonly PacketReader _clientPackets = new();
    private readonly ServerReplyBuffer _server = new();
    private bool _handshakeDone;
    private bool _greetingSeen;
    private uint _serverCapabilities;
    private uint _clientCapabilities;
    private bool _opaque;
    private int _toSkip;
    private bool _inRows;
    private bool _writesInTransaction;
    private uint _lastPrepared = uint.MaxValue;

    private enum CommandKind
    {
        Other,
        Write,
        Commit,
        Prepare,
        Execute,
    }

    /// <inheritdoc />
    public void OnClientBytes(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            _clientPackets.Append(bytes);
            while (_clientPackets.TryTake(out var sequence, out var payload))
            {
                OnClientPacket(sequence, payload);
            }
        }
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
            while (_server.Length - position >= 4)
            {
                var length = _server[position] | (_server[position + 1] << 8) | (_server[position + 2] << 16);
                if (_server.Length - position - 4 < length)
                {
                    break;
                }

                var reply = OnServerPacket(_server.AsSpan(position + 4, length), length, trigger);
                if (reply is not null)
                {
                    _opaque = true;
                    return _server.Withhold(position, reply);
                }

                position += 4 + length;
            }

            // While armed, an incomplete packet is held whole; otherwise everything passes now.
            return _server.Pass(chunk.Length, trigger.IsArmed ? position : _server.Length, position);
        }
    }

    /// <inheritdoc />
    public string DescribeWithheld(ReadOnlySpan<byte> chunk) =>
        chunk.Length >= 5
            ? $"{chunk.Length} byte(s) of MySQL packets, the first {(chunk[4] switch { 0x00 => "an OK", 0xFF => "an ERR", 0xFE => "an EOF", _ => "a result set" })} packet"
            : $"{chunk.Length} byte(s), part of one MySQL packet";

    private static CommandKind Classify(ReadOnlySpan<byte> sql)
    {
        var text = Encoding.UTF8.GetString(sql[..Math.Min(sql.Length, 256)]).AsSpan();
        while (true)
        {
            text = text.TrimStart();
            if (text.StartsWith("/*", StringComparison.Ordinal) && text.IndexOf("*/", StringComparison.Ordinal) is var end and > 0)
            {
                text = text[(end + 2)..];
            }
            else if (text.StartsWith('('))
            {
                text = text[1..];
            }
            else
            {
                break;
            }
        }

        foreach (var (word, kind) in new[] { ("COMMIT", CommandKind.Commit), ("INSERT", CommandKind.Write), ("UPDATE", CommandKind.Write), ("REPLACE", CommandKind.Write), ("DELETE", CommandKind.Write) })
        {
            if (text.StartsWith(word, StringComparison.OrdinalIgnoreCase) && (text.Length == word.Length || !char.IsAsciiLetterOrDigit(text[word.Length])))
            {
                return kind;
            }
        }

        return CommandKind.Other;
    }

    private static ulong ReadLengthEncoded(ReadOnlySpan<byte> payload, ref int index)
    {
        var first = payload[index++];
        switch (first)
        {
            case < 0xFB:
                return first;
            case 0xFC:
                index += 2;
                return BinaryPrimitives.ReadUInt16LittleEndian(payload[(index - 2)..]);
            case 0xFD:
                index += 3;
                return (ulong)(payload[index - 3] | (payload[index - 2] << 8) | (payload[index - 1] << 16));
            case 0xFE:
                index += 8;
                return BinaryPrimitives.ReadUInt64LittleEndian(payload[(index - 8)..]);
            default:
                return 0;
        }
    }

    private void OnClientPacket(byte sequence, ReadOnlySpan<byte> payload)
    {
        if (!_handshakeDone)
        {
            // The handshake response (or TLS request) carries the client's capabilities in its first four bytes.
            if (sequence == 1 && payload.Length >= 4 && _clientCapabilities == 0)
            {
                _clientCapabilities = BinaryPrimitives.ReadUInt32LittleEndian(payload);
                _opaque |= (_clientCapabilities & (ClientSsl | ClientCompress)) != 0 && (_serverCapabilities & (_clientCapabilities & (ClientSsl | ClientCompress))) != 0;
            }

            return;
        }

        if (sequence != 0 || payload.IsEmpty)
        {
            return;
        }

        switch (payload[0])
        {
            case 0x03:
                _commands.Enqueue(new Command(Classify(payload[1..]), 0));
                break;
            case 0x16:
                _prepares.Enqueue(Classify(payload[1..]));
                _commands.Enqueue(new Command(CommandKind.Prepare, 0));
                break;
            case 0x17 or 0xFA when payload.Length >= 5:
                // Resolved when its reply comes: the client may pipeline the execute behind its prepare (MariaDB's
                // statement id 0xFFFFFFFF means the statement prepared last).
                _commands.Enqueue(new Command(CommandKind.Execute, BinaryPrimitives.ReadUInt32LittleEndian(payload[1..])));
                break;
            case 0x19:
                if (payload.Length >= 5)
                {
                    _statements.Remove(BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]));
                }

                break;
            case 0x01 or 0x18:
                // COM_QUIT and COM_STMT_SEND_LONG_DATA have no response.
                break;
            default:
                _commands.Enqueue(new Command(CommandKind.Other, 0));
                break;
        }
    }

    // Returns the description of the durable reply when this packet is it and the withhold was claimed.
    private string? OnServerPacket(ReadOnlySpan<byte> payload, int length, IDurableReplyTrigger trigger)
    {
        if (payload.IsEmpty)
        {
            return null;
        }

        var first = payload[0];
        if (!_handshakeDone)
        {
            if (!_greetingSeen)
            {
                _greetingSeen = true;
                ReadServerCapabilities(payload);
            }
            else if (first == 0x00)
            {
                _handshakeDone = true;
            }

            return null;
        }

        var deprecateEof = (_clientCapabilities & _serverCapabilities & ClientDeprecateEof) != 0;
        if (_toSkip > 0)
        {
            _toSkip--;
            if (_toSkip == 0 && !_inRows)
            {
                Pop();
            }

            return null;
        }

        if (!_commands.TryPeek(out var command))
        {
            return null;
        }

        if (_inRows)
        {
            var isEnd = first == 0xFE && (deprecateEof ? length < 0xFFFFFF : length < 9);
            if (isEnd)
            {
                _inRows = false;
                var status = deprecateEof ? ReadOkStatus(payload, out _) : (ushort)(payload.Length >= 5 ? BinaryPrimitives.ReadUInt16LittleEndian(payload[3..]) : 0);
                EndOfResponse(status);
            }

            return null;
        }

        if (command.Kind == CommandKind.Prepare && first == 0x00 && payload.Length >= 9)
        {
            var id = BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
            var columns = BinaryPrimitives.ReadUInt16LittleEndian(payload[5..]);
            var parameters = BinaryPrimitives.ReadUInt16LittleEndian(payload[7..]);
            _statements[id] = _prepares.Count > 0 ? _prepares.Dequeue() : CommandKind.Other;
            _lastPrepared = id;
            _toSkip = parameters + columns + (deprecateEof ? 0 : (parameters > 0 ? 1 : 0) + (columns > 0 ? 1 : 0));
            if (_toSkip == 0)
            {
                Pop();
            }

            return null;
        }

        switch (first)
        {
            case 0x00:
                var status = ReadOkStatus(payload, out var affected);
                var kind = command.Kind == CommandKind.Execute ? _statements.GetValueOrDefault(command.Statement == uint.MaxValue ? _lastPrepared : command.Statement) : command.Kind;
                var reply = Observe(kind, affected, status, trigger);
                EndOfResponse(status);
                return reply;
            case 0xFF:
                if (command.Kind == CommandKind.Prepare && _prepares.Count > 0)
                {
                    _prepares.Dequeue();
                }

                Pop();
                return null;
            case 0xFB:
                // LOCAL INFILE: the client sends the file, then the server answers with OK or ERR.
                return null;
            case 0xFE when length < 9:
                Pop();
                return null;
            default:
                var index = 0;
                var count = (int)ReadLengthEncoded(payload, ref index);
                _toSkip = count + (deprecateEof ? 0 : 1);
                _inRows = true;
                return null;
        }
    }

    private string? Observe(CommandKind kind, ulong affected, ushort status, IDurableReplyTrigger trigger)
    {
        var inTransaction = (status & StatusInTransaction) != 0;
        string? durable = null;
        if (kind == CommandKind.Write)
        {
            if (inTransaction)
            {
                _writesInTransaction = true;
            }
            else if (affected > 0)
            {
                durable = $"OK packet answering an autocommitted write ({affected} row(s) affected)";
            }
        }
        else if (kind == CommandKind.Commit && !inTransaction && _writesInTransaction)
        {
            durable = "OK packet answering a COMMIT that ended a transaction that wrote";
        }

        if (!inTransaction)
        {
            _writesInTransaction = false;
        }

        return durable is not null && trigger.IsArmed && trigger.TryClaim() ? durable : null;
    }

    private void EndOfResponse(ushort status)
    {
        if ((status & StatusMoreResults) == 0)
        {
            Pop();
        }
    }

    private void Pop()
    {
        _commands.TryDequeue(out _);
        _inRows = false;
    }

    private static ushort ReadOkStatus(ReadOnlySpan<byte> payload, out ulong affected)
    {
        var index = 1;
        affected = ReadLengthEncoded(payload, ref index);
        _ = ReadLengthEncoded(payload, ref index);
        return payload.Length >= index + 2 ? BinaryPrimitives.ReadUInt16LittleEndian(payload[index..]) : (ushort)0;
    }

    private void ReadServerCapabilities(ReadOnlySpan<byte> greeting)
    {
        // protocol version, NUL-terminated version, connection id (4), scramble (8), filler (1), capabilities low (2),
        // charset (1), status (2), capabilities high (2).
        var end = greeting.IndexOf((byte)0);
        var at = end + 1 + 4 + 8 + 1;
        if (end < 0 || greeting.Length < at + 7)
        {
            return;
        }

        _serverCapabilities = BinaryPrimitives.ReadUInt16LittleEndian(greeting[at..]) | ((uint)BinaryPrimitives.ReadUInt16LittleEndian(greeting[(at + 5)..]) << 16);
    }

    private readonly record struct Command(CommandKind Kind, uint Statement);

    /// <summary>Splits the client's byte stream into MySQL packets.</summary>
    private sealed class PacketReader
    {
        private byte[] _buffer = new byte[256];
        private int _start;
        private int _end;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_buffer.Length < _end + bytes.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_end + bytes.Length, _buffer.Length * 2));
            }

            bytes.CopyTo(_buffer.AsSpan(_end));
            _end += bytes.Length;
        }

        public bool TryTake(out byte sequence, out ReadOnlySpan<byte> payload)
        {
            sequence = 0;
            payload = default;
            if (_end - _start < 4)
            {
                return false;
            }

            var length = _buffer[_start] | (_buffer[_start + 1] << 8) | (_buffer[_start + 2] << 16);
            if (_end - _start - 4 < length)
            {
                return false;
            }

            sequence = _buffer[_start + 3];
            payload = _buffer.AsSpan(_start + 4, length);
            _start += 4 + length;
            return true;
        }
    }
}
