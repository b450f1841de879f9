using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes the state of one task, as the status endpoints report it.</summary>
/// <param name="Id">Gets the task number.</param>
/// <param name="State">Gets the state, one of <see cref="ConnectorStates"/>.</param>
/// <param name="WorkerId">Gets the id (host:port) of the worker running the task.</param>
/// <param name="Trace">Gets the stack trace of the failure, when the task failed.</param>
public sealed record ConnectorTaskStatus(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("worker_id")] string? WorkerId,
    [property: JsonPropertyName("trace")] string? Trace);
