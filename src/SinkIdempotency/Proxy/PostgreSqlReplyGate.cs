using System.Buffers;

namespace SinkIdempotency.Proxy;

/// <summary>Watches one connection's PostgreSQL replies and, while the proxy is armed, finds the reply that tells the client its write is durable, so the proxy can withhold it and everything after it.</summary>
/// <remarks>
/// <para>
/// The durable reply is the server's, whatever the client sent: a CommandComplete <c>COMMIT</c> ending a transaction that
/// wrote (a simple <c>COMMIT</c> query, or pgjdbc's prepared one sent as Bind/Execute/Sync), or, for a write outside a
/// transaction block (autocommit), the write's CommandComplete (<c>INSERT</c>, <c>UPDATE</c>, <c>DELETE</c>, <c>COPY</c>,
/// <c>MERGE</c>) — which is durable only when the ReadyForQuery that ends its implicit transaction reports the idle
/// status <c>I</c> with no ErrorResponse in between. So an autocommit candidate's bytes are held back until that
/// ReadyForQuery: idle and clean, they are withheld; otherwise (a transaction block began, or an error rolled it back)
/// they are passed on unchanged.
/// </para>
/// <para>
/// While armed, a CommandComplete whose bytes are split across reads is held until it is whole, so it is withheld
/// from its first byte or not at all. A message already partly passed on is never a trigger. Bytes the server sends
/// before the trigger message reach the client.
/// </para>
/// </remarks>
internal sealed class PostgreSqlReplyGate : IReplyGate
{
    private static readonly string[] WriteVerbs = ["INSERT", "UPDATE", "DELETE", "COPY", "MERGE"];

    private readonly PostgreSqlBackendScanner _scanner = new();
    private readonly List<PostgreSqlBackendMessage> _messages = [];
    private readonly int _maxHeldBytes;
    private byte[] _held = [];
    private int _heldLength;
    private long _forwardedUpTo;
    private long _pendingFrom = -1;
    private string? _pendingFirstTag;
    private string? _pendingLastTag;
    private int _pendingCount;
    private byte _lastStatus = (byte)'I';
    private bool _beginSinceReady;
    private bool _errorSinceReady;
    private bool _writesInTransaction;

    /// <summary>Initializes a gate for one connection.</summary>
    /// <param name="maxHeldBytes">The most bytes held back while waiting for a ReadyForQuery; beyond it the candidate is given up and the bytes pass.</param>
    public PostgreSqlReplyGate(int maxHeldBytes = 1024 * 1024) => _maxHeldBytes = maxHeldBytes;

    /// <summary>Gets the number of bytes held back, waiting for the decision on an autocommitted write or for a split message to complete.</summary>
    public int HeldBytes => _heldLength;

    /// <summary>Reads bytes the client sends (only its start-up negotiation matters).</summary>
    /// <param name="bytes">Bytes from the client, in order.</param>
    public void OnClientBytes(ReadOnlySpan<byte> bytes) => _scanner.OnClientBytes(bytes);

    /// <summary>Decides what of the next server bytes reaches the client now, and whether the durable reply starts in them.</summary>
    /// <param name="chunk">The next bytes from the server.</param>
    /// <param name="trigger">Whether the proxy is armed, and the one-shot claim of the withhold.</param>
    /// <returns>What to forward and, when the durable reply was found and claimed, what was withheld.</returns>
    public PostgreSqlGateResult OnServerBytes(ReadOnlySpan<byte> chunk, IDurableReplyTrigger trigger)
    {
        var chunkStart = _scanner.Position;
        var chunkEnd = chunkStart + chunk.Length;
        _messages.Clear();
        _scanner.OnServerBytes(chunk, _messages);
        long withholdFrom = -1;
        string? reply = null;
        foreach (var message in _messages)
        {
            if (Observe(message, trigger, out withholdFrom, out reply))
            {
                break;
            }
        }

        var passUpTo = withholdFrom >= 0 ? withholdFrom : SafeEnd(chunkEnd, trigger);
        if (_heldLength == 0 && _forwardedUpTo == chunkStart && passUpTo == chunkEnd)
        {
            _forwardedUpTo = chunkEnd;
            return new PostgreSqlGateResult(true, null, 0, null, 0);
        }

        var forward = Take(chunk, passUpTo, out var forwardLength);
        if (withholdFrom < 0)
        {
            Hold(chunk, chunkStart, chunkEnd);
            return new PostgreSqlGateResult(false, forward, forwardLength, null, 0);
        }

        var withheld = (int)(chunkEnd - withholdFrom);
        _heldLength = 0;
        _forwardedUpTo = chunkEnd;
        return new PostgreSqlGateResult(false, forward, forwardLength, reply, withheld);
    }

    /// <summary>Describes the messages in bytes withheld for another reason (every reply, or the next connection's), for evidence.</summary>
    /// <param name="chunk">The first withheld bytes.</param>
    /// <returns>For example <c>BindComplete, CommandComplete "INSERT 0 1", ReadyForQuery 'I'</c>.</returns>
    public string DescribeWithheld(ReadOnlySpan<byte> chunk)
    {
        _messages.Clear();
        _scanner.OnServerBytes(chunk, _messages);
        if (_scanner.IsOpaque)
        {
            return $"{chunk.Length} byte(s) not readable as PostgreSQL messages (an encrypted connection)";
        }

        if (_messages.Count == 0)
        {
            return $"{chunk.Length} byte(s), part of one message";
        }

        var names = string.Join(", ", _messages.Take(4).Select(PostgreSqlBackendScanner.Describe));
        return _messages.Count > 4 ? $"{names} and {_messages.Count - 4} more message(s)" : names;
    }

    private static bool IsWrite(string tag)
    {
        foreach (var verb in WriteVerbs)
        {
            if (tag.StartsWith(verb, StringComparison.Ordinal) && (tag.Length == verb.Length || tag[verb.Length] == ' '))
            {
                return true;
            }
        }

        return false;
    }

    private bool Observe(PostgreSqlBackendMessage message, IDurableReplyTrigger trigger, out long withholdFrom, out string? reply)
    {
        withholdFrom = -1;
        reply = null;
        switch (message.Type)
        {
            case (byte)'C' when message.Tag is { } tag && IsWrite(tag):
                _writesInTransaction = true;
                if (_pendingFrom >= 0)
                {
                    _pendingCount++;
                    _pendingLastTag = tag;
                }
                else if (_lastStatus == (byte)'I' && !_beginSinceReady && message.Start >= _forwardedUpTo && trigger.IsArmed)
                {
                    _pendingFrom = message.Start;
                    _pendingFirstTag = tag;
                    _pendingLastTag = tag;
                    _pendingCount = 1;
                }

                return false;
            case (byte)'C' when message.Tag is "BEGIN":
                _beginSinceReady = true;
                return false;
            case (byte)'C' when message.Tag is "COMMIT" or "COMMIT PREPARED":
                var from = _pendingFrom >= 0 ? _pendingFrom : message.Start;
                if ((_writesInTransaction || message.Tag == "COMMIT PREPARED") && from >= _forwardedUpTo && trigger.IsArmed && trigger.TryClaim())
                {
                    withholdFrom = from;
                    reply = message.Tag == "COMMIT PREPARED"
                        ? "CommandComplete \"COMMIT PREPARED\""
                        : "CommandComplete \"COMMIT\" ending a transaction that wrote";
                    return true;
                }

                return false;
            case (byte)'E':
                _errorSinceReady = true;
                return false;
            case (byte)'Z':
                if (_pendingFrom >= 0)
                {
                    if (message.Status == (byte)'I' && !_errorSinceReady && trigger.IsArmed && trigger.TryClaim())
                    {
                        withholdFrom = _pendingFrom;
                        reply = _pendingCount == 1
                            ? $"CommandComplete \"{_pendingFirstTag}\" outside a transaction block, autocommitted (ReadyForQuery 'I' followed)"
                            : $"{_pendingCount} CommandCompletes (\"{_pendingFirstTag}\" … \"{_pendingLastTag}\") of one autocommitted implicit transaction (ReadyForQuery 'I' followed)";
                        return true;
                    }

                    _pendingFrom = -1;
                }

                _lastStatus = message.Status;
                _writesInTransaction &= message.Status != (byte)'I';
                _beginSinceReady = false;
                _errorSinceReady = false;
                return false;
            default:
                return false;
        }
    }

    // The end of the bytes that may pass now: up to a pending autocommit candidate, or up to a CommandComplete (or an
    // unread header) split across reads while armed, so a trigger is never half passed on.
    private long SafeEnd(long chunkEnd, IDurableReplyTrigger trigger)
    {
        if (_pendingFrom >= 0)
        {
            if (chunkEnd - _pendingFrom <= _maxHeldBytes)
            {
                return _pendingFrom;
            }

            _pendingFrom = -1;
        }

        if (trigger.IsArmed
            && _scanner.IncompleteStart is { } incomplete
            && incomplete >= _forwardedUpTo
            && _scanner.IncompleteType is 0 or (byte)'C')
        {
            return incomplete;
        }

        return chunkEnd;
    }

    // Copies [_forwardedUpTo, upTo) out of the held bytes and the chunk into a pooled buffer.
    private byte[]? Take(ReadOnlySpan<byte> chunk, long upTo, out int length)
    {
        length = (int)(upTo - _forwardedUpTo);
        if (length <= 0)
        {
            length = 0;
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var fromHeld = Math.Min(_heldLength, length);
        _held.AsSpan(0, fromHeld).CopyTo(buffer);
        var fromChunk = length - fromHeld;
        if (fromChunk > 0)
        {
            chunk[..fromChunk].CopyTo(buffer.AsSpan(fromHeld));
        }

        // What stays held moves to the front.
        if (fromHeld < _heldLength)
        {
            _held.AsSpan(fromHeld, _heldLength - fromHeld).CopyTo(_held);
        }

        _heldLength -= fromHeld;
        _forwardedUpTo = upTo;
        return buffer;
    }

    // Keeps the bytes of the chunk that were not passed on, after what is already held.
    private void Hold(ReadOnlySpan<byte> chunk, long chunkStart, long chunkEnd)
    {
        var keepFrom = Math.Max(_forwardedUpTo, chunkStart);
        var keep = (int)(chunkEnd - keepFrom);
        if (keep == 0)
        {
            return;
        }

        if (_held.Length < _heldLength + keep)
        {
            Array.Resize(ref _held, Math.Max(_heldLength + keep, _held.Length * 2));
        }

        chunk[(int)(keepFrom - chunkStart)..].CopyTo(_held.AsSpan(_heldLength));
        _heldLength += keep;
    }
}
