namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>Reports a failed record somewhere (Connect's <c>ErrorReporter</c>): the dead-letter queue or the log.</summary>
internal interface IErrorReporter : IDisposable
{
    /// <summary>Reports the failure; the task completes when the report is durable (acknowledged for the dead-letter queue).</summary>
    Task ReportAsync(ErrorContext context);
}
