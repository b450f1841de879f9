using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>
/// The key and value columns of one record and how to read their values (the JDBC sink's <c>FieldsMetadata</c>).
/// Records with the same shape share one SQL statement.
/// </summary>
internal sealed record TableShape(IReadOnlyList<ColumnSpec> KeyColumns, IReadOnlyList<ColumnSpec> ValueColumns)
{
    private static readonly ConnectSchema TopicSchema = new() { Type = ConnectSchemaType.String };
    private static readonly ConnectSchema PartitionSchema = new() { Type = ConnectSchemaType.Int32 };
    private static readonly ConnectSchema OffsetSchema = new() { Type = ConnectSchemaType.Int64 };

    public IEnumerable<ColumnSpec> AllColumns => KeyColumns.Concat(ValueColumns);

    public string Signature => string.Join(",", AllColumns.Select(c => $"{c.Name}:{c.Schema.Type}:{c.IsKey}"));

    public static TableShape Extract(PostgresSinkConfig config, string table, SinkRecord record)
    {
        var valueSchema = record.ValueSchema;
        if (record.Value is not null && (valueSchema is null || valueSchema.Type != ConnectSchemaType.Struct))
        {
            throw new ConnectException(
                $"Sink connector '{table}' is configured with 'delete.enabled=false' and 'pk.mode=none' and therefore requires records with a non-null Struct value and non-null Struct schema, but found record at (topic='{record.Topic}',partition={record.KafkaPartition},offset={record.KafkaOffset},timestamp={record.Timestamp?.ToUnixTimeMilliseconds()}) with a {(record.Value is JsonObject ? "HashMap" : record.Value.GetValueKind().ToString())} value and {(valueSchema is null ? "null" : valueSchema.Type.ToString().ToUpperInvariant())} value schema.");
        }

        var keyColumns = new List<ColumnSpec>();
        var keyNames = new HashSet<string>();
        switch (config.PkMode)
        {
            case PkMode.Kafka:
                keyColumns.Add(new ColumnSpec(config.PkFields[0], TopicSchema, true));
                keyColumns.Add(new ColumnSpec(config.PkFields[1], PartitionSchema, true));
                keyColumns.Add(new ColumnSpec(config.PkFields[2], OffsetSchema, true));
                break;
            case PkMode.RecordKey:
                var keySchema = record.KeySchema ?? throw new ConnectException($"PK mode for table '{table}' is RECORD_KEY, but record key schema is missing");
                if (keySchema.Type == ConnectSchemaType.Struct)
                {
                    var names = config.PkFields.Count > 0 ? config.PkFields : keySchema.Fields.Select(f => f.Name).ToList();
                    foreach (var name in names)
                    {
                        var field = keySchema.Field(name) ?? throw new ConnectException($"PK mode for table '{table}' is RECORD_KEY with configured PK fields {string.Join(",", config.PkFields)}, but record key schema does not contain field: {name}");
                        keyColumns.Add(new ColumnSpec(name, field.Schema, true));
                    }
                }
                else
                {
                    if (config.PkFields.Count != 1)
                    {
                        throw new ConnectException($"Need exactly one PK column defined since the key schema for records is a primitive type, defined columns are: [{string.Join(", ", config.PkFields)}]");
                    }

                    keyColumns.Add(new ColumnSpec(config.PkFields[0], keySchema, true));
                }

                break;
            case PkMode.RecordValue:
                if (valueSchema is null)
                {
                    throw new ConnectException($"PK mode for table '{table}' is RECORD_VALUE, but record value schema is missing");
                }

                var valueNames = config.PkFields.Count > 0 ? config.PkFields : valueSchema.Fields.Select(f => f.Name).ToList();
                foreach (var name in valueNames)
                {
                    var field = valueSchema.Field(name) ?? throw new ConnectException($"PK mode for table '{table}' is RECORD_VALUE with configured PK fields {string.Join(",", config.PkFields)}, but record value schema does not contain field: {name}");
                    keyColumns.Add(new ColumnSpec(name, field.Schema, true));
                }

                break;
            default:
                break;
        }

        foreach (var key in keyColumns)
        {
            keyNames.Add(key.Name);
        }

        var valueColumns = new List<ColumnSpec>();
        if (valueSchema is not null)
        {
            foreach (var field in valueSchema.Fields)
            {
                if (keyNames.Contains(field.Name))
                {
                    continue;
                }

                if (config.FieldsWhitelist.Count > 0 && !config.FieldsWhitelist.Contains(field.Name))
                {
                    continue;
                }

                valueColumns.Add(new ColumnSpec(field.Name, field.Schema, false));
            }
        }

        if (keyColumns.Count == 0 && valueColumns.Count == 0)
        {
            throw new ConnectException($"No fields found using key and value schemas for table: {table}");
        }

        return new TableShape(keyColumns, valueColumns);
    }

    public JsonNode? KeyValue(PostgresSinkConfig config, ColumnSpec column, int index, SinkRecord record) => config.PkMode switch
    {
        PkMode.Kafka => index switch
        {
            0 => JsonValue.Create(record.Topic),
            1 => JsonValue.Create(record.KafkaPartition),
            _ => JsonValue.Create(record.KafkaOffset),
        },
        PkMode.RecordKey => record.KeySchema!.Type == ConnectSchemaType.Struct ? record.Key?[column.Name] : record.Key,
        PkMode.RecordValue => record.Value?[column.Name],
        _ => null,
    };
}
