using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>One target column: name, the Connect schema of its values, and whether it is part of the primary key.</summary>
internal sealed record ColumnSpec(string Name, ConnectSchema Schema, bool IsKey);
