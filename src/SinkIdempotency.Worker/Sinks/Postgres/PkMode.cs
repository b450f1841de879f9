namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Where primary-key columns come from (the JDBC sink's <c>pk.mode</c>).</summary>
internal enum PkMode
{
    None,
    Kafka,
    RecordKey,
    RecordValue,
}
