using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Holds Connect's <c>{"message":…}</c> answer of the offsets API.</summary>
/// <param name="Message">Gets the message.</param>
internal sealed record ConnectMessage([property: JsonPropertyName("message")] string Message);
