using SinkIdempotency.Targets;

namespace SinkIdempotency.Cli.Matrix;

/// <summary>Holds the reference PostgreSQL sink's known-bad and known-good configurations the built-in matrix runs.</summary>
/// <remarks>They match the harness's known answers (tests/SinkIdempotency.IntegrationTests/KnownAnswers.cs), where each is proven red or not red.</remarks>
internal static class ReferenceConnectors
{
    /// <summary>The reference PostgreSQL sink of <c>SinkIdempotency.Worker</c> (JDBC-sink-like configuration keys).</summary>
    public const string PostgresSinkClass = "SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector";

    /// <summary>The column name of the known-bad configuration.</summary>
    public const string PostgresInsert = "postgres-insert";

    /// <summary>The column name of the known-good configuration.</summary>
    public const string PostgresUpsert = "postgres-upsert";

    /// <summary>
    /// Gets the known-bad configuration: plain inserts without a key, so every redelivery is a new row. For schema
    /// breaks the matrix adds <c>errors.tolerance=all</c> without a dead-letter topic, so poison records vanish.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PostgresInsertConfig { get; } = Common(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["insert.mode"] = "insert",
        ["pk.mode"] = "none",
    });

    /// <summary>
    /// Gets the known-good configuration: upsert keyed by the Kafka coordinates (topic, partition, offset), so a
    /// redelivered record overwrites its own row. For schema breaks the matrix adds a dead-letter topic.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PostgresUpsertConfig { get; } = Common(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "kafka",
    });

    /// <summary>Gets how the reference sink's tables map back to the ledger: event id, key, version and the payload whose hash the ledger holds.</summary>
    public static PostgreSqlTableMapping Mapping { get; } = new()
    {
        Table = "${table}",
        EventIdColumn = "event_id",
        KeyColumn = "key",
        VersionColumn = "version",
        PayloadColumn = "payload",
    };

    private static Dictionary<string, string> Common(Dictionary<string, string> config)
    {
        config["connector.class"] = PostgresSinkClass;
        config["auto.create"] = "true";
        config["key.converter"] = "org.apache.kafka.connect.storage.StringConverter";
        config["value.converter"] = "org.apache.kafka.connect.json.JsonConverter";
        config["value.converter.schemas.enable"] = "true";
        return config;
    }
}
