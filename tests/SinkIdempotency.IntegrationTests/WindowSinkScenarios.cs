using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Defines the known answers of the crash-window test sinks (<c>SinkIdempotency.TestPlugin.Window</c>): each sink, the failure case that must expose it, and the verdict.</summary>
/// <remarks>Shared with the harness benchmark, which compiles this file in and runs the same scenarios under load.</remarks>
public static class WindowSinkScenarios
{
    /// <summary>Buffers records and lets their offsets be committed before it writes them.</summary>
    public const string CommitFirst = "SinkIdempotency.TestPlugin.Window.CommitFirstSinkConnector";

    /// <summary>A background writer that drops its queue when partitions are revoked.</summary>
    public const string RevocationDrop = "SinkIdempotency.TestPlugin.Window.RevocationDropSinkConnector";

    /// <summary>Writes every record once per Kafka coordinate before reporting it done: correct under every case.</summary>
    public const string Idempotent = "SinkIdempotency.TestPlugin.Window.IdempotentSinkConnector";

    /// <summary>Stages records durably and publishes them every 1.5 s: correct, and slow to show it.</summary>
    public const string WriteBehind = "SinkIdempotency.TestPlugin.Window.WriteBehindSinkConnector";

    /// <summary>Gets the folder the test project copies the plugin to.</summary>
    public static string PluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins", "test-plugin");

    /// <summary>Gets how the test sinks' tables map back to the ledger; only published rows (<c>visible</c>) count.</summary>
    public static PostgreSqlTableMapping Mapping { get; } = new()
    {
        Table = "${table}",
        EventIdColumn = "event_id",
        KeyColumn = "key",
        VersionColumn = "version",
        PayloadColumn = "payload",
        TopicColumn = "topic",
        PartitionColumn = "kafka_partition",
        OffsetColumn = "kafka_offset",
        Filter = "visible",
    };

    /// <summary>Gets the known answers: a scenario and whether it must be red with lost records, or must not be red.</summary>
    public static IReadOnlyList<(Scenario Scenario, bool MustBeRedWithLoss)> KnownAnswers { get; } =
    [
        (Make("window/commit-first/crash-after-offset-commit", CommitFirst, new CrashAfterOffsetCommit()), true),
        (Make("window/revocation-drop/rebalance-join", RevocationDrop, new Rebalance()), true),
        (Make("window/idempotent/none", Idempotent, null), false),
        (Make("window/idempotent/crash-after-target-write", Idempotent, new CrashAfterTargetWrite()), false),
        (Make("window/idempotent/crash-after-offset-commit", Idempotent, new CrashAfterOffsetCommit()), false),
        (Make("window/idempotent/rebalance-join", Idempotent, new Rebalance()), false),
        (Make("window/idempotent/rebalance-dies", Idempotent, new Rebalance(new RebalanceOptions { Kind = RebalanceKind.WorkerDies, KillWhileTargetAhead = true, TasksMax = 1 })), false),
        (Make("window/write-behind/none", WriteBehind, null), false),
    ];

    /// <summary>Creates a scenario for one test sink with the reference workload (1000 records over 2 partitions at 500 records/s), declaring exactly-once effect.</summary>
    public static Scenario Make(string name, string connectorClass, Fault? fault) =>
        ReferenceMatrix.Make(name, Connector(connectorClass), DeclaredSemantics.ExactlyOnceEffect, fault, Mapping);

    /// <summary>Returns the connector configuration of a test sink: its class and the converters the workload needs.</summary>
    public static Dictionary<string, string> Connector(string connectorClass) => new(StringComparer.Ordinal)
    {
        ["connector.class"] = connectorClass,
        ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        ["value.converter.schemas.enable"] = "true",
    };
}
