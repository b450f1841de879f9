using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;

namespace SinkIdempotency.IntegrationTests;

/// <summary>The reference sink configurations and the ten known-answer scenarios: each failure case once with a configuration that must come out red, once with one that must not.</summary>
public static class KnownAnswers
{
    public const string PostgresSink = "SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector";

    /// <summary>Appends every record: duplicates whatever Connect redelivers.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlainInsert = Sink(new()
    {
        ["insert.mode"] = "insert",
        ["pk.mode"] = "none",
    });

    /// <summary>Upserts on the Kafka coordinates: a redelivered record overwrites its own row.</summary>
    public static readonly IReadOnlyDictionary<string, string> UpsertByCoordinates = Sink(new()
    {
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "kafka",
    });

    /// <summary>Upserts on the record key: one row per key, the newest version.</summary>
    public static readonly IReadOnlyDictionary<string, string> UpsertByKey = Sink(new()
    {
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "record_key",
        ["pk.fields"] = "record_key",
    });

    /// <summary>Maps the reference sink's columns: event id, key, version and the payload text whose hash the ledger holds.</summary>
    public static readonly PostgreSqlTableMapping Columns = new()
    {
        Table = "${table}",
        EventIdColumn = "event_id",
        KeyColumn = "key",
        VersionColumn = "version",
        PayloadColumn = "payload",
    };

    public static EmbeddedEnvironmentBuilder Builder() => new EmbeddedEnvironmentBuilder()
        .WithWorkers(1)
        .WithOffsetFlushInterval(EmbeddedScenarioFixture.OffsetFlushInterval)
        .WithWorkerSessionTimeout(TimeSpan.FromSeconds(6));

    /// <summary>Gets the ten scenarios with the verdict each must get: red, or not red.</summary>
    public static IReadOnlyList<(Scenario Scenario, bool MustBeRed)> All() =>
    [
        (Make("crash-insert", PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new CrashAfterTargetWrite()), true),
        (Make("crash-upsert", UpsertByKey, DeclaredSemantics.UpsertByKey, new CrashAfterTargetWrite()), false),
        (Make("timeout-insert", PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new TargetTimeout()), true),
        (Make("timeout-upsert", UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new TargetTimeout()), false),
        (Make("rebalance-dies-insert", PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new Rebalance(new RebalanceOptions { Kind = RebalanceKind.WorkerDies, KillWhileTargetAhead = true })), true),
        (Make("rebalance-joins-upsert", UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new Rebalance()), false),
        (Make("poison-no-dlq", PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new SchemaBreak()).WithConnectorSetting("errors.tolerance", "all"), true),
        (Make("poison-dlq", PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new SchemaBreak()).WithDeadLetterQueue(), false),
        (Make("replay-insert", PlainInsert, DeclaredSemantics.ExactlyOnceEffect, new Replay()), true),
        (Make("replay-upsert", UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new Replay()), false),
    ];

    public static Scenario Make(string name, IReadOnlyDictionary<string, string> connector, DeclaredSemantics semantics, Fault fault) =>
        Scenario.Named(name)
            .WithConnector(connector)
            .WithWorkload(w => w with { Records = 1000, Partitions = 2, Keys = 100 })
            .WithTargetMapping(Columns)
            .WithFault(fault)
            .Declaring(semantics)
            .WithTimeouts(settle: TimeSpan.FromSeconds(60), stableFor: TimeSpan.FromMilliseconds(1500));

    private static Dictionary<string, string> Sink(Dictionary<string, string> settings)
    {
        settings["connector.class"] = PostgresSink;
        settings["auto.create"] = "true";
        settings["key.converter"] = "org.apache.kafka.connect.storage.StringConverter";
        settings["value.converter"] = "org.apache.kafka.connect.json.JsonConverter";
        settings["value.converter.schemas.enable"] = "true";
        return settings;
    }
}
