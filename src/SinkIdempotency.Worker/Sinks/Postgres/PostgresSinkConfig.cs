using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>The relational (PostgreSQL, MySQL, MariaDB) sink's settings, named and defaulted as Confluent's JDBC sink (<c>JdbcSinkConfig</c>).</summary>
internal sealed record PostgresSinkConfig
{
    public static readonly IReadOnlyList<string> DefaultKafkaPkNames = ["__connect_topic", "__connect_partition", "__connect_offset"];

    public static ConfigDefinition Definition { get; } = new ConfigDefinition()
        .Define(new ConfigKeyDefinition { Name = "connection.url", IsRequired = true, Importance = ConfigImportance.High, Group = "Connection", OrderInGroup = 1, DisplayName = "JDBC URL", Documentation = "JDBC connection URL, e.g. jdbc:postgresql://localhost:5432/db, jdbc:mysql://localhost:3306/db or jdbc:mariadb://localhost:3306/db; the scheme picks the SQL dialect (an Npgsql connection string is accepted too, as PostgreSQL).", Validator = ValidateUrl })
        .Define(new ConfigKeyDefinition { Name = "connection.user", Importance = ConfigImportance.High, Group = "Connection", OrderInGroup = 2, DisplayName = "JDBC User", Documentation = "JDBC connection user." })
        .Define(new ConfigKeyDefinition { Name = "connection.password", Type = ConfigType.Password, Importance = ConfigImportance.High, Group = "Connection", OrderInGroup = 3, DisplayName = "JDBC Password", Documentation = "JDBC connection password." })
        .Define(new ConfigKeyDefinition { Name = "connection.attempts", Type = ConfigType.Int, DefaultValue = "3", AtLeast = 1, Importance = ConfigImportance.Low, Group = "Connection", OrderInGroup = 4, Documentation = "Maximum number of attempts to retrieve a valid JDBC connection." })
        .Define(new ConfigKeyDefinition { Name = "connection.backoff.ms", Type = ConfigType.Long, DefaultValue = "10000", Importance = ConfigImportance.Low, Group = "Connection", OrderInGroup = 5, Documentation = "Backoff time in milliseconds between connection attempts." })
        .Define(new ConfigKeyDefinition { Name = "insert.mode", DefaultValue = "insert", ValidValues = ["insert", "upsert", "update"], Importance = ConfigImportance.High, Group = "Writes", OrderInGroup = 1, DisplayName = "Insert Mode", Documentation = "The insertion mode to use: insert, upsert (INSERT … ON CONFLICT DO UPDATE on PostgreSQL, INSERT … ON DUPLICATE KEY UPDATE on MySQL/MariaDB) or update." })
        .Define(new ConfigKeyDefinition { Name = "batch.size", Type = ConfigType.Int, DefaultValue = "3000", AtLeast = 0, Importance = ConfigImportance.Medium, Group = "Writes", OrderInGroup = 2, DisplayName = "Batch Size", Documentation = "Specifies how many records to attempt to batch together for insertion into the destination table, when possible." })
        .Define(new ConfigKeyDefinition { Name = "delete.enabled", Type = ConfigType.Boolean, DefaultValue = "false", Importance = ConfigImportance.Medium, Group = "Writes", OrderInGroup = 3, DisplayName = "Enable deletes", Documentation = "Whether to treat null record values as deletes. Requires pk.mode to be record_key." })
        .Define(new ConfigKeyDefinition { Name = "table.name.format", DefaultValue = "${topic}", Importance = ConfigImportance.Medium, Group = "Data Mapping", OrderInGroup = 1, DisplayName = "Table Name Format", Documentation = "A format string for the destination table name, which may contain '${topic}' as a placeholder for the originating topic name." })
        .Define(new ConfigKeyDefinition { Name = "pk.mode", DefaultValue = "none", ValidValues = ["none", "kafka", "record_key", "record_value"], Importance = ConfigImportance.High, Group = "Data Mapping", OrderInGroup = 2, DisplayName = "Primary Key Mode", Documentation = "The primary key mode: none, kafka (__connect_topic, __connect_partition, __connect_offset), record_key or record_value." })
        .Define(new ConfigKeyDefinition { Name = "pk.fields", Type = ConfigType.List, DefaultValue = "", Importance = ConfigImportance.Medium, Group = "Data Mapping", OrderInGroup = 3, DisplayName = "Primary Key Fields", Documentation = "List of comma-separated primary key field names; their meaning depends on pk.mode." })
        .Define(new ConfigKeyDefinition { Name = "fields.whitelist", Type = ConfigType.List, DefaultValue = "", Importance = ConfigImportance.Medium, Group = "Data Mapping", OrderInGroup = 4, DisplayName = "Fields Whitelist", Documentation = "List of comma-separated record value field names. If empty, all fields from the record value are utilized." })
        .Define(new ConfigKeyDefinition { Name = "auto.create", Type = ConfigType.Boolean, DefaultValue = "false", Importance = ConfigImportance.Medium, Group = "DDL Support", OrderInGroup = 1, DisplayName = "Auto-Create", Documentation = "Whether to automatically create the destination table based on record schema if it is found to be missing by issuing CREATE." })
        .Define(new ConfigKeyDefinition { Name = "auto.evolve", Type = ConfigType.Boolean, DefaultValue = "false", Importance = ConfigImportance.Medium, Group = "DDL Support", OrderInGroup = 2, DisplayName = "Auto-Evolve", Documentation = "Whether to automatically add columns in the table schema when found to be missing relative to the record schema by issuing ALTER." })
        .Define(new ConfigKeyDefinition { Name = "max.retries", Type = ConfigType.Int, DefaultValue = "10", AtLeast = 0, Importance = ConfigImportance.Medium, Group = "Retries", OrderInGroup = 1, DisplayName = "Maximum Retries", Documentation = "The maximum number of times to retry on errors before failing the task." })
        .Define(new ConfigKeyDefinition { Name = "retry.backoff.ms", Type = ConfigType.Int, DefaultValue = "3000", AtLeast = 0, Importance = ConfigImportance.Medium, Group = "Retries", OrderInGroup = 2, DisplayName = "Retry Backoff (millis)", Documentation = "The time in milliseconds to wait following an error before a retry attempt is made." });

    public required string ConnectionString { get; init; }

    /// <summary>Gets the database flavour <c>connection.url</c> names (<c>jdbc:postgresql://</c>, <c>jdbc:mysql://</c>, <c>jdbc:mariadb://</c>; a bare Npgsql connection string is PostgreSQL).</summary>
    public SqlDialect Dialect { get; init; } = PostgreSqlDialect.Instance;

    public InsertMode InsertMode { get; init; }

    public PkMode PkMode { get; init; }

    public IReadOnlyList<string> PkFields { get; init; } = [];

    public IReadOnlyList<string> FieldsWhitelist { get; init; } = [];

    public string TableNameFormat { get; init; } = "${topic}";

    public bool AutoCreate { get; init; }

    public bool AutoEvolve { get; init; }

    public bool DeleteEnabled { get; init; }

    public int BatchSize { get; init; } = 3000;

    public int MaxRetries { get; init; } = 10;

    public int RetryBackoffMs { get; init; } = 3000;

    public static PostgresSinkConfig Parse(IReadOnlyDictionary<string, string> config)
    {
        var parsed = Definition.Parse(config);
        var pkMode = parsed.GetString("pk.mode")!.ToLowerInvariant() switch
        {
            "kafka" => PkMode.Kafka,
            "record_key" => PkMode.RecordKey,
            "record_value" => PkMode.RecordValue,
            _ => PkMode.None,
        };
        var insertMode = parsed.GetString("insert.mode")!.ToLowerInvariant() switch
        {
            "upsert" => InsertMode.Upsert,
            "update" => InsertMode.Update,
            _ => InsertMode.Insert,
        };
        var deleteEnabled = parsed.GetBoolean("delete.enabled");
        if (deleteEnabled && pkMode != PkMode.RecordKey)
        {
            throw new ConfigException("Primary key mode must be 'record_key' when delete support is enabled");
        }

        var pkFields = parsed.GetList("pk.fields");
        if (pkMode == PkMode.Kafka)
        {
            if (pkFields.Count == 0)
            {
                pkFields = DefaultKafkaPkNames;
            }
            else if (pkFields.Count != 3)
            {
                throw new ConfigException("PK mode for table is KAFKA so there should either be no field names defined for defaults "
                    + DefaultKafkaPkNames.Count + " to be applicable, or exactly 3, defined fields are: " + string.Join(",", pkFields));
            }
        }

        var url = parsed.GetString("connection.url")!;
        var dialect = SqlDialect.ForUrl(url);
        return new PostgresSinkConfig
        {
            ConnectionString = dialect.ConnectionString(url, parsed.GetString("connection.user"), parsed.GetString("connection.password")),
            Dialect = dialect,
            InsertMode = insertMode,
            PkMode = pkMode,
            PkFields = pkFields,
            FieldsWhitelist = parsed.GetList("fields.whitelist"),
            TableNameFormat = parsed.GetString("table.name.format")!,
            AutoCreate = parsed.GetBoolean("auto.create"),
            AutoEvolve = parsed.GetBoolean("auto.evolve"),
            DeleteEnabled = deleteEnabled,
            BatchSize = Math.Max(1, parsed.GetInt("batch.size")),
            MaxRetries = parsed.GetInt("max.retries"),
            RetryBackoffMs = parsed.GetInt("retry.backoff.ms"),
        };
    }

    private static string? ValidateUrl(string? url)
    {
        try
        {
            _ = SqlDialect.ForUrl(url ?? "").ConnectionString(url ?? "", null, null);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or OverflowException)
        {
            return "Not a valid JDBC URL or connection string: " + e.Message;
        }
    }
}
