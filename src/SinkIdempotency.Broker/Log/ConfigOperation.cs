namespace SinkIdempotency.Broker.Log;

/// <summary>One change to a topic config, as IncrementalAlterConfigs carries it.</summary>
/// <param name="Name">The config name.</param>
/// <param name="Operation">What to do (Kafka's <c>AlterConfigOp.OpType</c> ids).</param>
/// <param name="Value">The value to set, append or subtract; ignored by <see cref="ConfigOperationType.Delete"/>.</param>
internal sealed record ConfigOperation(string Name, ConfigOperationType Operation, string? Value);

/// <summary>Kafka's <c>AlterConfigOp.OpType</c>.</summary>
internal enum ConfigOperationType : sbyte
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}
