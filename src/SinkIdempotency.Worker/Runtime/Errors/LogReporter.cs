using Microsoft.Extensions.Logging;

namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>Logs every reported failure (<c>errors.log.enable</c>), with the record's coordinates when <c>errors.log.include.messages</c> is set (Connect's <c>LogReporter</c>).</summary>
internal sealed class LogReporter(ILogger log, bool includeMessages) : IErrorReporter
{
    public Task ReportAsync(ErrorContext context)
    {
        var record = context.Original;
        var where = includeMessages
            ? $", where consumed record is {{topic='{record.Topic}', partition={record.Partition}, offset={record.Offset}, timestamp={record.Timestamp?.ToUnixTimeMilliseconds() ?? -1}, timestampType={record.TimestampType}}}"
            : "";
        log.LogError(context.Error, "Error encountered in task {Task}. Executing stage '{Stage}' with class '{Class}'{Where}.", context.TaskId, context.Stage, context.ExecutingClass, where);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }
}
