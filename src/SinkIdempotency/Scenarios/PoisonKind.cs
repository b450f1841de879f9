namespace SinkIdempotency.Scenarios;

/// <summary>Names how a poison record is malformed.</summary>
public enum PoisonKind
{
    /// <summary>The envelope declares the version field as a string and the payload holds text where the schema says <c>int64</c>: a type change.</summary>
    TypeChange,

    /// <summary>Plain JSON without the <c>schema</c>/<c>payload</c> envelope, which <c>JsonConverter</c> with <c>schemas.enable=true</c> rejects.</summary>
    MissingEnvelope,

    /// <summary>Bytes that are not JSON at all.</summary>
    GarbageBytes,
}
