namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>The stages of Connect's <c>Stage</c> enum that a sink worker reports, by their names in <c>__connect.errors.stage</c>.</summary>
internal static class ErrorStage
{
    public const string KeyConverter = "KEY_CONVERTER";
    public const string ValueConverter = "VALUE_CONVERTER";
    public const string HeaderConverter = "HEADER_CONVERTER";
    public const string Transformation = "TRANSFORMATION";
    public const string TaskPut = "TASK_PUT";

    /// <summary>The executing class Connect names for records reported by the task (<c>SinkTask.class</c>).</summary>
    public const string SinkTaskClass = "org.apache.kafka.connect.sink.SinkTask";
}
