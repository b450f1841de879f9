namespace SinkIdempotency.Sink;

/// <summary>Reports records a task could not write, so the framework logs them or sends them to the dead-letter queue (Connect's <c>ErrantRecordReporter</c>).</summary>
/// <remarks>Reported records are written before the offsets of their partitions are committed.</remarks>
public interface IErrantRecordReporter
{
    /// <summary>Reports one record and the error it caused; the returned task completes when the report is durable.</summary>
    /// <param name="record">The record as the task received it.</param>
    /// <param name="error">Why it could not be written.</param>
    /// <returns>A task that completes when the report is written.</returns>
    Task ReportAsync(SinkRecord record, Exception error);
}
