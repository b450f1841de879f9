namespace SinkIdempotency.Scenarios;

/// <summary>Names how a workload record's value is written.</summary>
public enum RecordFormat
{
    /// <summary>Writes Connect's <c>JsonConverter</c> envelope <c>{"schema":…,"payload":…}</c> (for <c>value.converter.schemas.enable=true</c>, Connect's default), which JDBC sinks need.</summary>
    JsonEnvelope,

    /// <summary>Writes the fields as a plain JSON object (for <c>value.converter.schemas.enable=false</c>).</summary>
    PlainJson,
}
