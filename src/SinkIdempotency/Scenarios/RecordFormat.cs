namespace SinkIdempotency.Scenarios;

/// <summary>Chooses how workload values are encoded.</summary>
public enum RecordFormat
{
    /// <summary>Kafka Connect's <c>JsonConverter</c> envelope <c>{"schema":…,"payload":…}</c> (<c>schemas.enable=true</c>), which JDBC sinks need.</summary>
    JsonEnvelope,

    /// <summary>Plain JSON objects (<c>schemas.enable=false</c>).</summary>
    PlainJson,
}
