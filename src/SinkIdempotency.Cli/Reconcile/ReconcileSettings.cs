using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Cli.Reconcile;

/// <summary>Holds the options of <c>sink-idempotency reconcile</c> as given on the command line (endpoints may also come from variables).</summary>
internal sealed record ReconcileSettings
{
    public string? BootstrapServers { get; init; }

    public IReadOnlyDictionary<string, string> KafkaSettings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public required string Topic { get; init; }

    /// <summary>Gets the sink's consumer group, whose committed offsets tell a loss from a record not processed yet.</summary>
    public string? Group { get; init; }

    public string? DeadLetterTopic { get; init; }

    public string? Target { get; init; }

    public required string Table { get; init; }

    public string EventIdColumn { get; init; } = "event_id";

    public string? KeyColumn { get; init; }

    public string? VersionColumn { get; init; }

    public string? PayloadColumn { get; init; }

    public string? ValueHashColumn { get; init; }

    public string? TopicColumn { get; init; }

    public string? PartitionColumn { get; init; }

    public string? OffsetColumn { get; init; }

    public string? Where { get; init; }

    public string EventIdField { get; init; } = "event_id";

    public string? KeyField { get; init; } = "key";

    public string? VersionField { get; init; } = "version";

    public string? PayloadField { get; init; } = "payload";

    public DeclaredSemantics Declared { get; init; } = DeclaredSemantics.ExactlyOnceEffect;

    public string? OutputDirectory { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
