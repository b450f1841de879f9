using System.Globalization;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>Builds the exception that fails a task when a record's failure exceeds <c>errors.tolerance</c>.</summary>
/// <remarks>
/// The first line is Connect's (<c>Tolerance exceeded in error handler</c>); the second names the stage and the record in
/// the words of Connect's <c>LogReporter</c>. Real Connect leaves the record out of the status trace; this worker puts it
/// in, so whoever reads the trace (a person, or the harness deciding whether a poison record stopped the task) knows
/// which record it was.
/// </remarks>
internal static class ToleranceExceeded
{
    public const string Message = "Tolerance exceeded in error handler";

    public static ConnectException Create(string stage, string executingClass, ConsumedRecord record, Exception cause) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"{Message}\nExecuting stage '{stage}' with class '{executingClass}', where consumed record is {{topic='{record.Topic}', partition={record.Partition}, offset={record.Offset}}}."),
            cause);
}
