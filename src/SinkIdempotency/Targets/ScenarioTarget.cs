namespace SinkIdempotency.Targets;

/// <summary>Chooses a scenario's target store and how its table maps back to the ledger.</summary>
/// <remarks>YAML scenario files choose it with <c>target.kind</c> (<c>postgres</c>, <c>mysql</c>, <c>files-append</c>, <c>files-deterministic</c>, <c>http-plain</c>, <c>http-idempotency-key</c>, and on the Docker environment <c>s3</c> or <c>elasticsearch</c>) beside the column names.</remarks>
public sealed record ScenarioTarget
{
    /// <summary>The kind of a PostgreSQL target.</summary>
    public const string PostgreSqlKind = "postgres";

    /// <summary>The kind of a MySQL or MariaDB target.</summary>
    public const string MySqlKind = "mysql";

    /// <summary>The kind of a folder the worker's file sink appends JSON lines to (<c>file.mode=append</c>): a replayed record is a second line.</summary>
    public const string FilesAppendKind = "files-append";

    /// <summary>The kind of a folder the worker's file sink writes objects named by topic, partition and start offset to (<c>file.mode=deterministic</c>): a replay rewrites the same objects.</summary>
    public const string FilesDeterministicKind = "files-deterministic";

    /// <summary>The kind of an HTTP API the worker's HTTP sink POSTs every record to without an idempotency key: a request retried after a lost reply is applied twice.</summary>
    public const string HttpPlainKind = "http-plain";

    /// <summary>The kind of an HTTP API the worker's HTTP sink POSTs every record to with an <c>Idempotency-Key</c> made of its Kafka coordinates, which the API honours: a retried or replayed request is applied once.</summary>
    public const string HttpIdempotencyKeyKind = "http-idempotency-key";

    /// <summary>The kind of an S3 bucket (MinIO in the Docker environment) that Confluent's S3 sink writes objects named <c>topics/&lt;topic&gt;/partition=&lt;p&gt;/&lt;topic&gt;+&lt;p&gt;+&lt;startOffset&gt;.json</c> to.</summary>
    public const string S3Kind = "s3";

    /// <summary>The kind of an Elasticsearch index that Elasticsearch's sink connector writes documents to, by record key (<c>key.ignore=false</c>) or by <c>topic+partition+offset</c> (<c>key.ignore=true</c>).</summary>
    public const string ElasticsearchKind = "elasticsearch";

    /// <summary>Gets the kinds a scenario may name.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [PostgreSqlKind, MySqlKind, FilesAppendKind, FilesDeterministicKind, HttpPlainKind, HttpIdempotencyKeyKind, S3Kind, ElasticsearchKind];

    /// <summary>Gets the target kind.</summary>
    /// <value><see cref="PostgreSqlKind"/>.</value>
    public string Kind { get; init; } = PostgreSqlKind;

    /// <summary>Gets how the target table's columns map to event ids, keys, versions and source positions; its table and schema are replaced by the run's.</summary>
    /// <value>The event id in column <c>event_id</c>, nothing else mapped.</value>
    public PostgreSqlTableMapping Mapping { get; init; } = new() { Table = "${table}" };

    /// <summary>Creates a PostgreSQL target.</summary>
    /// <param name="mapping">The table mapping, or <see langword="null"/> for the default.</param>
    /// <returns>The target.</returns>
    public static ScenarioTarget PostgreSql(PostgreSqlTableMapping? mapping = null) => mapping is null ? new() : new() { Mapping = mapping };

    /// <summary>Creates a MySQL or MariaDB target.</summary>
    /// <param name="mapping">The table mapping, or <see langword="null"/> for the default.</param>
    /// <returns>The target.</returns>
    public static ScenarioTarget MySql(PostgreSqlTableMapping? mapping = null) => (mapping is null ? new ScenarioTarget() : new() { Mapping = mapping }) with { Kind = MySqlKind };

    /// <summary>Creates a files target for the worker's file sink in one of its modes.</summary>
    /// <param name="deterministic">Whether the sink writes deterministic objects (<see cref="FilesDeterministicKind"/>) rather than appending (<see cref="FilesAppendKind"/>).</param>
    /// <param name="mapping">Which record value fields hold the event id, key, version and payload (the column names of a table mapping), or <see langword="null"/> for the default.</param>
    /// <returns>The target.</returns>
    public static ScenarioTarget Files(bool deterministic, PostgreSqlTableMapping? mapping = null) =>
        (mapping is null ? new ScenarioTarget() : new() { Mapping = mapping }) with { Kind = deterministic ? FilesDeterministicKind : FilesAppendKind };

    /// <summary>Creates an HTTP API target for the worker's HTTP sink, with or without idempotency keys.</summary>
    /// <param name="idempotencyKey">Whether the sink sends an idempotency key the API honours (<see cref="HttpIdempotencyKeyKind"/>) rather than plain POSTs (<see cref="HttpPlainKind"/>).</param>
    /// <param name="mapping">Which body fields hold the event id, key, version and payload (the column names of a table mapping), or <see langword="null"/> for the default.</param>
    /// <returns>The target.</returns>
    public static ScenarioTarget Http(bool idempotencyKey, PostgreSqlTableMapping? mapping = null) =>
        (mapping is null ? new ScenarioTarget() : new() { Mapping = mapping }) with { Kind = idempotencyKey ? HttpIdempotencyKeyKind : HttpPlainKind };

    /// <summary>Creates a target of any kind that reads JSON record values (files, HTTP, S3, Elasticsearch).</summary>
    /// <param name="kind">One of <see cref="Kinds"/>.</param>
    /// <param name="mapping">Which value fields hold the event id, key, version and payload, or <see langword="null"/> for the default.</param>
    /// <returns>The target.</returns>
    public static ScenarioTarget Of(string kind, PostgreSqlTableMapping? mapping = null) =>
        (mapping is null ? new ScenarioTarget() : new() { Mapping = mapping }) with { Kind = kind };

    /// <summary>Checks the target and throws when it cannot be used.</summary>
    /// <exception cref="ArgumentException">Thrown when the kind is unknown or the mapping invalid.</exception>
    public void Validate()
    {
        if (!Kinds.Contains(Kind, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The target kind '{Kind}' is unknown; use one of {string.Join(", ", Kinds)}.");
        }

        Mapping.Validate();
    }
}
