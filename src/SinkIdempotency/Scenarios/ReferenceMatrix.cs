using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Scenarios;

/// <summary>Defines the known-answer matrix: the failure cases of <see cref="FaultCatalog.Definitions"/> × the reference PostgreSQL sink's known-bad and known-good configurations, with the environment settings they need.</summary>
/// <remarks>
/// One definition serves the integration suite (which asserts each known answer), the harness benchmark and the
/// command-line tool's default matrix. Both columns claim <see cref="DeclaredSemantics.ExactlyOnceEffect"/>: the insert
/// column must come out red, the upsert column (keyed by the Kafka coordinates) must not. For schema breaks the insert
/// column sets <c>errors.tolerance=all</c> without a dead-letter topic and the upsert column adds a dead-letter topic.
/// The rebalance kills a worker while the target is ahead of the committed offsets. The crash in the loss window
/// (<see cref="CrashAfterOffsetCommit"/>) must not be red in either column: the reference sink writes every record before
/// its offset can be committed, so the window never opens, which is reported as a finding and graded green. Under a
/// refused offset commit or a stalled fetch a correct worker loses and repeats nothing, so both columns must be green there.
/// </remarks>
public static class ReferenceMatrix
{
    /// <summary>The class name of the reference PostgreSQL sink of <c>SinkIdempotency.Worker</c>.</summary>
    public const string PostgresSinkClass = "SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector";

    /// <summary>The class name of the file / object-store sink of <c>SinkIdempotency.Worker</c>; its mode comes from the files target kind.</summary>
    public const string FileSinkClass = "SinkIdempotency.Worker.Sinks.Files.FileSinkConnector";

    /// <summary>The class name of the HTTP sink of <c>SinkIdempotency.Worker</c>; its URL and idempotency key come from the HTTP target kind.</summary>
    public const string HttpSinkClass = "SinkIdempotency.Worker.Sinks.Http.HttpSinkConnector";

    /// <summary>The column name of the known-bad configuration (plain inserts).</summary>
    public const string InsertColumn = "postgres-insert";

    /// <summary>The column name of the known-good configuration (upsert by Kafka coordinates).</summary>
    public const string UpsertColumn = "postgres-upsert";

    /// <summary>Gets the worker offset-flush interval: frequent enough for a matrix, rare enough to leave a crash window.</summary>
    /// <value>500 milliseconds.</value>
    public static TimeSpan OffsetFlushInterval { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets the session timeout of the workers' group and of the sink consumers' groups.</summary>
    /// <value>
    /// Three seconds (heartbeats every second). Real Connect's consumer default is 45 s, which would make every killed
    /// worker hold its partitions for 45 s; the embedded broker's <c>group.min.session.timeout.ms</c> is lowered to match,
    /// as a real broker's can be.
    /// </value>
    public static TimeSpan SessionTimeout { get; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets the session timeout of the workers' and sink consumers' groups on a Kafka cluster the harness did not start.</summary>
    /// <value>
    /// Six seconds: Apache Kafka brokers refuse sessions shorter than their <c>group.min.session.timeout.ms</c>, 6 s by
    /// default, and a team's cluster cannot be assumed to have lowered it as the embedded broker does.
    /// </value>
    public static TimeSpan ClusterSessionTimeout { get; } = TimeSpan.FromSeconds(6);

    /// <summary>Gets how long the sink's target client waits for a reply before it gives up and retries; set on the connectors by <see cref="SinkScenarioDriver"/>.</summary>
    /// <value>Three seconds.</value>
    public static TimeSpan TargetReplyTimeout { get; } = TimeSpan.FromSeconds(SinkScenarioDriver.ProxyReplyTimeoutSeconds);

    /// <summary>Gets the connectors' <c>retry.backoff.ms</c>: the wait before a retriable target error is retried.</summary>
    /// <value>500 milliseconds (the JDBC sink's default is 3 s).</value>
    public static TimeSpan RetryBackoff { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets how long offsets and target must stay unchanged before a run counts as settled.</summary>
    /// <value>One second: two offset-flush intervals (<see cref="OffsetFlushInterval"/>), so a commit still to come has had its chance to land.</value>
    public static TimeSpan StableFor { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the known-bad configuration: plain inserts without a key, so every redelivery is a new row.</summary>
    public static IReadOnlyDictionary<string, string> PlainInsert { get; } = Sink(new(StringComparer.Ordinal)
    {
        ["insert.mode"] = "insert",
        ["pk.mode"] = "none",
    });

    /// <summary>Gets the known-good configuration: upsert on the Kafka coordinates, so a redelivered record overwrites its own row.</summary>
    public static IReadOnlyDictionary<string, string> UpsertByCoordinates { get; } = Sink(new(StringComparer.Ordinal)
    {
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "kafka",
    });

    /// <summary>Gets an upsert on the record key: one row per key holding the newest version.</summary>
    public static IReadOnlyDictionary<string, string> UpsertByKey { get; } = Sink(new(StringComparer.Ordinal)
    {
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "record_key",
        ["pk.fields"] = "record_key",
    });

    /// <summary>Gets the worker's file sink with the known answers' converters and 100-record objects; <see cref="ScenarioTarget.FilesAppendKind"/> or <see cref="ScenarioTarget.FilesDeterministicKind"/> sets its folder and mode.</summary>
    public static IReadOnlyDictionary<string, string> FileSink { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["connector.class"] = FileSinkClass,
        ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        ["value.converter.schemas.enable"] = "true",
        ["flush.size"] = "100",
    };

    /// <summary>Gets the worker's HTTP sink with the known answers' converters and retry backoff; <see cref="ScenarioTarget.HttpPlainKind"/> or <see cref="ScenarioTarget.HttpIdempotencyKeyKind"/> sets its URL and whether it sends idempotency keys.</summary>
    public static IReadOnlyDictionary<string, string> HttpSink { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["connector.class"] = HttpSinkClass,
        ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        ["value.converter.schemas.enable"] = "true",
        ["retry.backoff.ms"] = ((long)RetryBackoff.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Gets how the reference sink's tables map back to the ledger: event id, key, version and the payload whose hash the ledger holds.</summary>
    public static PostgreSqlTableMapping Mapping { get; } = new()
    {
        Table = "${table}",
        EventIdColumn = "event_id",
        KeyColumn = "key",
        VersionColumn = "version",
        PayloadColumn = "payload",
    };

    /// <summary>Gets the reference sink's known-answer matrix: plain inserts (known bad) and upserts by Kafka coordinates (known good).</summary>
    public static KnownAnswerMatrix Matrix { get; } = new(InsertColumn, PlainInsert, UpsertColumn, UpsertByCoordinates, Mapping);

    /// <summary>Gets the scenarios in scorecard order: for each failure case of <see cref="FaultCatalog.Definitions"/>, the insert column (must be red where <see cref="FaultDefinition.KnownBadIsRed"/> says so, must not be otherwise) then the upsert column (must not be red).</summary>
    public static IReadOnlyList<ReferenceScenario> Scenarios => Matrix.Scenarios;

    /// <summary>Creates the embedded-environment builder the known answers need: one worker, offset flushes every <see cref="OffsetFlushInterval"/> (500 ms), 3 s session timeouts.</summary>
    /// <returns>The builder, to which callers may add a log directory or other settings.</returns>
    public static EmbeddedEnvironmentBuilder EnvironmentBuilder() => new EmbeddedEnvironmentBuilder()
        .WithBroker(new Broker.KafkaBrokerOptions { GroupMinSessionTimeout = SessionTimeout })
        .WithWorkers(1)
        .WithOffsetFlushInterval(OffsetFlushInterval)
        .WithWorkerSessionTimeout(SessionTimeout)

        // A killed sink consumer stays in its group until its session times out (45 s by default in Connect); heartbeats every third (1 s).
        .WithConsumerSessionTimeout(SessionTimeout);

    /// <summary>Creates the embedded-environment builder the known answers need on a Kafka-compatible cluster of your own: as <see cref="EnvironmentBuilder()"/>, with <see cref="ClusterSessionTimeout"/> sessions.</summary>
    /// <param name="bootstrapServers">The cluster's bootstrap servers.</param>
    /// <returns>The builder, to which callers add client settings (<see cref="EmbeddedEnvironmentBuilder.WithKafkaSetting"/>) and a label.</returns>
    public static EmbeddedEnvironmentBuilder EnvironmentBuilder(string bootstrapServers) => EnvironmentBuilder()
        .WithBootstrapServers(bootstrapServers)
        .WithWorkerSessionTimeout(ClusterSessionTimeout)
        .WithConsumerSessionTimeout(ClusterSessionTimeout);

    /// <summary>Creates a scenario with the known answers' workload (1000 records over 2 partitions at 500 records/s), mapping and timeouts.</summary>
    /// <param name="name">The scenario name.</param>
    /// <param name="connector">The connector configuration.</param>
    /// <param name="semantics">The declared semantics.</param>
    /// <param name="fault">The fault to inject, or <see langword="null"/> for a baseline run.</param>
    /// <returns>The scenario.</returns>
    public static Scenario Make(string name, IReadOnlyDictionary<string, string> connector, DeclaredSemantics semantics, Fault? fault) =>
        Make(name, connector, semantics, fault, Mapping);

    /// <summary>Creates a scenario with the known answers' workload, timeouts and a given table mapping, for sinks whose tables differ from the reference sink's.</summary>
    /// <param name="name">The scenario name.</param>
    /// <param name="connector">The connector configuration.</param>
    /// <param name="semantics">The declared semantics.</param>
    /// <param name="fault">The fault to inject, or <see langword="null"/> for a baseline run.</param>
    /// <param name="mapping">How the sink's table maps back to the ledger.</param>
    /// <returns>The scenario.</returns>
    public static Scenario Make(string name, IReadOnlyDictionary<string, string> connector, DeclaredSemantics semantics, Fault? fault, PostgreSqlTableMapping mapping) =>
        Scenario.Named(name)
            .WithConnector(connector)
            .WithWorkload(w => w with { Records = 1000, Partitions = 2, Keys = 100, RecordsPerSecond = 500 })
            .WithTargetMapping(mapping)
            .WithFault(fault)
            .Declaring(semantics)
            .WithTimeouts(settle: TimeSpan.FromSeconds(60), stableFor: StableFor);

    /// <summary>Builds the catalog's failure cases × two columns for any sink: the known-bad configuration (must be red where <see cref="FaultDefinition.KnownBadIsRed"/> says so) and the known-good one (must not be red), as <see cref="Scenarios"/> does for the reference sink.</summary>
    /// <param name="insertColumn">The known-bad column's name.</param>
    /// <param name="plainInsert">The known-bad configuration: plain inserts without a key; schema breaks add <c>errors.tolerance=all</c> without a dead-letter topic.</param>
    /// <param name="upsertColumn">The known-good column's name.</param>
    /// <param name="upsert">The known-good configuration: upsert by Kafka coordinates; schema breaks add a dead-letter topic.</param>
    /// <param name="mapping">How the sink's table maps back to the ledger.</param>
    /// <returns>Two scenarios per failure case, in scorecard order, named <c>failure-case/column</c>.</returns>
    public static IReadOnlyList<ReferenceScenario> Build(
        string insertColumn,
        IReadOnlyDictionary<string, string> plainInsert,
        string upsertColumn,
        IReadOnlyDictionary<string, string> upsert,
        PostgreSqlTableMapping mapping)
    {
        return new KnownAnswerMatrix(insertColumn, plainInsert, upsertColumn, upsert, mapping).Scenarios;
    }

    private static Dictionary<string, string> Sink(Dictionary<string, string> settings)
    {
        settings["connector.class"] = PostgresSinkClass;
        settings["auto.create"] = "true";
        settings["key.converter"] = "org.apache.kafka.connect.storage.StringConverter";
        settings["value.converter"] = "org.apache.kafka.connect.json.JsonConverter";
        settings["value.converter.schemas.enable"] = "true";
        settings["retry.backoff.ms"] = ((long)RetryBackoff.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }
}
