namespace SinkIdempotency.Proxy;

/// <summary>Reads one connection's traffic in a target's wire protocol and finds the reply that tells the client its write is durable.</summary>
internal interface IReplyGate
{
    /// <summary>Reads bytes the client sends, before they reach the target.</summary>
    void OnClientBytes(ReadOnlySpan<byte> bytes);

    /// <summary>Decides what of the next server bytes reaches the client now, and whether the durable reply starts in them.</summary>
    PostgreSqlGateResult OnServerBytes(ReadOnlySpan<byte> chunk, IDurableReplyTrigger trigger);

    /// <summary>Describes bytes withheld for another reason, for evidence.</summary>
    string DescribeWithheld(ReadOnlySpan<byte> chunk);
}
