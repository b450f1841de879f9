using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes the state of a connector instance inside a status report.</summary>
/// <param name="State">Gets the state, one of <see cref="ConnectorStates"/>.</param>
/// <param name="WorkerId">Gets the id (host:port) of the worker running the connector.</param>
/// <param name="Trace">Gets the stack trace of the failure, when the connector failed.</param>
public sealed record ConnectorInstanceStatus(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("worker_id")] string? WorkerId,
    [property: JsonPropertyName("trace")] string? Trace);
