namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>How rows are written (the JDBC sink's <c>insert.mode</c>).</summary>
internal enum InsertMode
{
    Insert,
    Upsert,
    Update,
}
