using System.Text;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>
/// The errant record reporter a sink task gets from its context (Connect's <c>WorkerErrantRecordReporter</c>): reports the original
/// consumed record at stage <c>TASK_PUT</c>; the framework waits for the reports of a partition before committing its offsets.
/// </summary>
internal sealed class WorkerErrantRecordReporter(RetryWithToleranceOperator errors) : IErrantRecordReporter
{
    public Task ReportAsync(SinkRecord record, Exception error)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(error);
        return errors.ExecuteFailed(OriginalOf(record), error);
    }

    private static ConsumedRecord OriginalOf(SinkRecord record)
    {
        if (record is InternalSinkRecord internalRecord)
        {
            return internalRecord.Original;
        }

        // A record the task built itself: serialized as JSON, as Connect re-serializes it with the connector's converters.
        return new ConsumedRecord(
            record.OriginalTopic,
            record.OriginalKafkaPartition,
            record.OriginalKafkaOffset,
            record.Key is null ? null : Encoding.UTF8.GetBytes(record.Key.ToJsonString()),
            record.Value is null ? null : Encoding.UTF8.GetBytes(record.Value.ToJsonString()),
            record.Timestamp,
            record.TimestampType,
            record.Headers);
    }
}
