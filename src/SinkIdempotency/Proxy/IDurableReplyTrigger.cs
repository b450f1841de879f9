namespace SinkIdempotency.Proxy;

/// <summary>Arms the one-shot withhold of a durable write's reply, shared by every connection of a proxy.</summary>
internal interface IDurableReplyTrigger
{
    /// <summary>Gets a value indicating whether a durable write's reply is to be withheld.</summary>
    bool IsArmed { get; }

    /// <summary>Claims the withhold for the calling connection; only the first claim after arming succeeds, and it disarms the trigger.</summary>
    /// <returns><see langword="true"/> when this connection is the one whose reply is withheld.</returns>
    bool TryClaim();
}
