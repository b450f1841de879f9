using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Signals a table that is missing or lacks columns and may not be created or altered; never retried (as in the JDBC sink).</summary>
internal sealed class TableAlterOrCreateException : ConnectException
{
    public TableAlterOrCreateException(string message)
        : base(message)
    {
    }

    public TableAlterOrCreateException()
    {
    }

    public TableAlterOrCreateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
