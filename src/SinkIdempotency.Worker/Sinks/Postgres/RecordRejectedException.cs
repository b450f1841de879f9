using System.Globalization;
using System.Data.Common;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Signals that the database refused one record's statement (a value too long, a NULL into a NOT NULL column, a number out of range), naming the record.</summary>
/// <remarks>The JDBC sink's driver error names the failed batch entry with its values; this names the record's coordinates the way Connect prints a consumed record.</remarks>
internal sealed class RecordRejectedException : ConnectException
{
    public RecordRejectedException(SinkRecord record, DbException error)
        : base(string.Create(CultureInfo.InvariantCulture, $"{error.Message} (record {{topic='{record.Topic}', partition={record.KafkaPartition}, offset={record.KafkaOffset}}})"), error)
    {
        Record = record;
    }

    public RecordRejectedException()
    {
    }

    public RecordRejectedException(string message)
        : base(message)
    {
    }

    public RecordRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SinkRecord? Record { get; }
}
