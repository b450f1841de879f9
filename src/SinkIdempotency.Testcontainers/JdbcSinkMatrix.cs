using System.Globalization;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Testcontainers;

/// <summary>Defines the known-answer matrix for the real Confluent JDBC sink (<c>io.confluent.connect.jdbc.JdbcSinkConnector</c>): the failure cases of <see cref="ReferenceMatrix"/> a Docker environment can serve (six: broker faults need the embedded broker) × plain inserts (must be red, except in the loss window the sink never opens) and upserts by Kafka coordinates (must not be red).</summary>
/// <remarks>
/// The JDBC sink creates its table from the workload's JSON-with-schema value (<c>auto.create=true</c>): one column per
/// struct field, named as the field (<c>event_id</c>, <c>key</c>, <c>version</c>, <c>seq</c>, <c>payload</c>), plus
/// <c>__connect_topic</c>, <c>__connect_partition</c> and <c>__connect_offset</c> as the primary key with <c>pk.mode=kafka</c>.
/// Those are the reference sink's column names, so <see cref="ReferenceMatrix.Mapping"/> reads both.
/// </remarks>
public static class JdbcSinkMatrix
{
    /// <summary>The Confluent JDBC sink's class.</summary>
    public const string JdbcSinkClass = "io.confluent.connect.jdbc.JdbcSinkConnector";

    /// <summary>The column name of the known-bad configuration (plain inserts, <c>pk.mode=none</c>).</summary>
    public const string InsertColumn = "jdbc-insert";

    /// <summary>The column name of the known-good configuration (upsert, <c>pk.mode=kafka</c>).</summary>
    public const string UpsertColumn = "jdbc-upsert";

    /// <summary>Gets the known-bad configuration: plain inserts without a key, so every redelivery is a new row.</summary>
    public static IReadOnlyDictionary<string, string> PlainInsert { get; } = Sink(new(StringComparer.Ordinal)
    {
        ["insert.mode"] = "insert",
        ["pk.mode"] = "none",
    });

    /// <summary>Gets the known-good configuration: upsert keyed by the Kafka coordinates (<c>__connect_topic</c>, <c>__connect_partition</c>, <c>__connect_offset</c>), so a redelivered record overwrites its own row.</summary>
    public static IReadOnlyDictionary<string, string> UpsertByCoordinates { get; } = Sink(new(StringComparer.Ordinal)
    {
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "kafka",
    });

    /// <summary>Gets an upsert on the record key (a primitive string key stored in a <c>record_key</c> column): one row per key holding the newest version.</summary>
    public static IReadOnlyDictionary<string, string> UpsertByKey { get; } = Sink(new(StringComparer.Ordinal)
    {
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "record_key",
        ["pk.fields"] = "record_key",
    });

    /// <summary>Gets how the JDBC sink's auto-created tables map back to the ledger (the same columns as the reference sink's).</summary>
    public static PostgreSqlTableMapping Mapping => ReferenceMatrix.Mapping;

    /// <summary>Gets the twelve scenarios in scorecard order (the failure cases a Docker environment can serve; broker faults are left out): for each failure case, the insert (must be red, except in the loss window) then the upsert (must not be red) column.</summary>
    public static IReadOnlyList<ReferenceScenario> Scenarios => Matrix.Scenarios;

    /// <summary>Gets the JDBC sink's known-answer matrix: plain inserts (known bad) and upserts by Kafka coordinates (known good).</summary>
    public static KnownAnswerMatrix Matrix { get; } = new(InsertColumn, PlainInsert, UpsertColumn, UpsertByCoordinates, Mapping, DockerEnvironment.ServableCapabilities);

    /// <summary>Gets the session timeout of the workers' group and of the sink consumers' groups in the Docker matrix.</summary>
    /// <value>
    /// Six seconds (heartbeats every second), Kafka's default <c>group.min.session.timeout.ms</c>. Twice the embedded
    /// matrix's 3 s: on a CI runner two or three JVMs, PostgreSQL and the harness share a few cores, and a garbage-collection
    /// or scheduling pause longer than the session evicts a live member, a rebalance nobody asked for. Real Connect's
    /// consumer default is 45 s, which would keep a killed worker's partitions that long.
    /// </value>
    public static TimeSpan SessionTimeout { get; } = TimeSpan.FromSeconds(6);

    /// <summary>Creates the Docker environment builder the known answers need: one worker, the reference matrix's offset-flush interval, 6 s sessions (<see cref="SessionTimeout"/>) and a 1 s scheduled rebalance delay.</summary>
    /// <returns>The builder, to which callers may add images, plugin folders or other settings.</returns>
    public static DockerEnvironmentBuilder EnvironmentBuilder() => new DockerEnvironmentBuilder()
        .WithGroupMinSessionTimeout(SessionTimeout)
        .WithWorkers(1)
        .WithOffsetFlushInterval(ReferenceMatrix.OffsetFlushInterval)
        .WithWorkerSessionTimeout(SessionTimeout)

        // A killed sink consumer keeps its partitions until its session times out (45 s by default).
        .WithConsumerSessionTimeout(SessionTimeout)
        .WithScheduledRebalanceMaxDelay(TimeSpan.FromSeconds(1));

    private static Dictionary<string, string> Sink(Dictionary<string, string> settings)
    {
        settings["connector.class"] = JdbcSinkClass;
        settings["auto.create"] = "true";
        settings["key.converter"] = "org.apache.kafka.connect.storage.StringConverter";
        settings["value.converter"] = "org.apache.kafka.connect.json.JsonConverter";
        settings["value.converter.schemas.enable"] = "true";

        // Retries of a failed batch (SQLException) stay inside a scenario's settle timeout: 10 retries, the reference backoff (the sink's default is 3 s).
        settings["max.retries"] = "10";
        settings["retry.backoff.ms"] = ((long)ReferenceMatrix.RetryBackoff.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return settings;
    }
}
