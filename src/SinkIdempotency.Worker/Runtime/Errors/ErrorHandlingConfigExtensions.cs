using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>Adds the <c>errors.*</c> keys to a configuration definition.</summary>
internal static class ErrorHandlingConfigExtensions
{
    public static ConfigDefinition WithErrorHandlingKeys(this ConfigDefinition definition) => ErrorHandlingConfig.DefineKeys(definition);
}
