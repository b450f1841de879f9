using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Testcontainers;

/// <summary>Defines the Docker environment's known answers for real connectors into targets beyond PostgreSQL: Confluent's JDBC sink into MySQL, Confluent's S3 sink into MinIO, and Elasticsearch's sink connector.</summary>
/// <remarks>
/// Each list holds the failure cases those targets can take part in: not the ones that act on the target fault proxy
/// (the connectors reach these stores directly), and not poison records that must fail at the target. All columns claim one effect per event,
/// except <see cref="ElasticsearchKeyIdsColumn"/>, which claims upsert by key.
/// </remarks>
public static class TargetSinkMatrices
{
    /// <summary>The column of the JDBC sink's plain inserts into MySQL (known bad: must be red where the window opens).</summary>
    public const string MySqlInsertColumn = "jdbc-mysql-insert";

    /// <summary>The column of the JDBC sink's upsert by Kafka coordinates into MySQL (known good).</summary>
    public const string MySqlUpsertColumn = "jdbc-mysql-upsert";

    /// <summary>The column of the S3 sink's deterministic objects (one record per object, default partitioner): a replay uploads the same names again, so it must not be red.</summary>
    public const string S3DeterministicColumn = "s3-deterministic";

    /// <summary>The column of the Elasticsearch sink with <c>key.ignore=true</c>: document id <c>topic+partition+offset</c>, so a redelivery overwrites its own document; must not be red.</summary>
    public const string ElasticsearchOffsetIdsColumn = "es-offset-ids";

    /// <summary>The column of the Elasticsearch sink with <c>key.ignore=false</c> (record key as id, offset as external version) declaring upsert by key: the index holds each key's newest record; must not be red.</summary>
    public const string ElasticsearchKeyIdsColumn = "es-key-ids";

    /// <summary>Gets what a Docker environment can do for a target the connectors reach directly: everything but the target fault proxy.</summary>
    public static EnvironmentCapabilities DirectTargetCapabilities => DockerEnvironment.ServableCapabilities & ~EnvironmentCapabilities.TargetFaultProxy;

    /// <summary>Gets the JDBC sink into MySQL: for each failure case, plain inserts (must be red unless the window never opens) then upserts by Kafka coordinates (must not be red).</summary>
    public static IReadOnlyList<ReferenceScenario> MySql { get; } =
    [
        .. new KnownAnswerMatrix(MySqlInsertColumn, JdbcSinkMatrix.PlainInsert, MySqlUpsertColumn, JdbcSinkMatrix.UpsertByCoordinates, JdbcSinkMatrix.Mapping, DirectTargetCapabilities)
            .Scenarios
            .Where(s => Applies(s.Scenario.Fault, s.Scenario.Workload))
            .Select(s => s with { Scenario = s.Scenario.WithTarget(ScenarioTarget.MySql(JdbcSinkMatrix.Mapping)) }),
    ];

    /// <summary>Gets the S3 sink into MinIO with deterministic objects, one scenario per failure case, none of which may be red.</summary>
    public static IReadOnlyList<ReferenceScenario> S3 { get; } = Good(S3DeterministicColumn, S3SinkSettings.JsonObjects(flushSize: 1), DeclaredSemantics.ExactlyOnceEffect, ScenarioTarget.S3Kind);

    /// <summary>Gets the Elasticsearch sink: for each failure case, offset ids (one document per event) then key ids declaring upsert by key; none may be red.</summary>
    public static IReadOnlyList<ReferenceScenario> Elasticsearch { get; } =
    [
        .. Good(ElasticsearchOffsetIdsColumn, ElasticsearchSinkSettings.Documents(keyIgnore: true), DeclaredSemantics.ExactlyOnceEffect, ScenarioTarget.ElasticsearchKind)
            .Zip(Good(ElasticsearchKeyIdsColumn, ElasticsearchSinkSettings.Documents(keyIgnore: false), DeclaredSemantics.UpsertByKey, ScenarioTarget.ElasticsearchKind))
            .SelectMany(pair => new[] { pair.First, pair.Second }),
    ];

    private static List<ReferenceScenario> Good(string column, IReadOnlyDictionary<string, string> connector, DeclaredSemantics semantics, string kind)
    {
        var scenarios = new List<ReferenceScenario>();
        foreach (var definition in FaultCatalog.Definitions)
        {
            var fault = definition.Reference();
            if ((fault.RequiredCapabilities & ~DirectTargetCapabilities) != EnvironmentCapabilities.None)
            {
                continue;
            }

            var scenario = ReferenceMatrix.Make($"{fault.Name}/{column}", connector, semantics, fault, JdbcSinkMatrix.Mapping)
                .WithTarget(ScenarioTarget.Of(kind, JdbcSinkMatrix.Mapping));
            if (!Applies(fault, scenario.Workload))
            {
                continue;
            }

            scenarios.Add(new ReferenceScenario(column, fault.PoisonRecords(scenario.Workload).Count > 0 ? scenario.WithDeadLetterQueue() : scenario, MustBeRed: false));
        }

        return scenarios;
    }

    private static bool Applies(Fault? fault, ScenarioWorkload workload) =>
        !(fault?.PoisonRecords(workload).Any(p => p.FailsAtTarget) ?? false);
}
