namespace SinkIdempotency.Workload;

/// <summary>Names how a workload record's value is written.</summary>
public enum WorkloadEncoding
{
    /// <summary>Writes Connect's <c>JsonConverter</c> envelope <c>{"schema":…,"payload":…}</c> (for <c>value.converter.schemas.enable=true</c>, Connect's default).</summary>
    JsonEnvelope,

    /// <summary>Writes the fields as a plain JSON object (for <c>value.converter.schemas.enable=false</c>).</summary>
    PlainJson,
}
