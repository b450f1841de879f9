namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>One failed operation on one consumed record (Connect's <c>ProcessingContext</c> after a failure).</summary>
internal sealed record ErrorContext(ConnectorTaskId TaskId, ConsumedRecord Original, string Stage, string ExecutingClass, Exception Error);
