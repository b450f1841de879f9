using Npgsql;
using NpgsqlTypes;
using SinkIdempotency.Sink;
using System.Text.Json.Nodes;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Binds Connect values to PostgreSQL parameters of the column's type (the dialect's <c>bindField</c>).</summary>
internal static class PostgresParameters
{
    public static NpgsqlParameter Create(ConnectSchema schema, JsonNode? value) => new()
    {
        NpgsqlDbType = schema.Name switch
        {
            "org.apache.kafka.connect.data.Timestamp" => NpgsqlDbType.Timestamp,
            "org.apache.kafka.connect.data.Date" => NpgsqlDbType.Date,
            "org.apache.kafka.connect.data.Time" => NpgsqlDbType.Time,
            "org.apache.kafka.connect.data.Decimal" => NpgsqlDbType.Numeric,
            _ => schema.Type switch
            {
                ConnectSchemaType.Int8 or ConnectSchemaType.Int16 => NpgsqlDbType.Smallint,
                ConnectSchemaType.Int32 => NpgsqlDbType.Integer,
                ConnectSchemaType.Int64 => NpgsqlDbType.Bigint,
                ConnectSchemaType.Float32 => NpgsqlDbType.Real,
                ConnectSchemaType.Float64 => NpgsqlDbType.Double,
                ConnectSchemaType.Boolean => NpgsqlDbType.Boolean,
                ConnectSchemaType.String => NpgsqlDbType.Text,
                ConnectSchemaType.Bytes => NpgsqlDbType.Bytea,
                ConnectSchemaType.Array => NpgsqlDbType.Array | NpgsqlDbType.Text,
                _ => throw new ConnectException($"Unsupported source data type: {schema.Type.ToString().ToUpperInvariant()}"),
            },
        },
        Value = ConnectValues.ToClr(schema, value),
    };
}
