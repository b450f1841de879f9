using System.Buffers;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Tests.Proxy;

/// <summary>Stands in for the proxy's one-shot trigger in byte-level gate tests: armed at first, counts its claims.</summary>
internal sealed class GateTrigger : IDurableReplyTrigger
{
    private bool _armed = true;

    public int Claims { get; private set; }

    public bool IsArmed => _armed;

    public void Disarm() => _armed = false;

    public bool TryClaim()
    {
        if (!_armed)
        {
            return false;
        }

        _armed = false;
        Claims++;
        return true;
    }

    /// <summary>Gets the bytes a gate result lets through for a chunk, returning its pooled buffer.</summary>
    public static byte[] Forwarded(PostgreSqlGateResult result, byte[] chunk)
    {
        if (result.ForwardWholeChunk)
        {
            return chunk;
        }

        if (result.Forward is null)
        {
            return [];
        }

        var bytes = result.Forward.AsSpan(0, result.ForwardLength).ToArray();
        ArrayPool<byte>.Shared.Return(result.Forward);
        return bytes;
    }
}
