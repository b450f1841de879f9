using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Binds Connect values to PostgreSQL parameters of the column's type (the dialect's <c>bindField</c>).</summary>
internal static class PostgresParameters
{
    public static NpgsqlParameter Create(ConnectSchema schema, JsonNode? value)
    {
        var parameter = new NpgsqlParameter();
        switch (schema.Name)
        {
            case "org.apache.kafka.connect.data.Timestamp":
                parameter.NpgsqlDbType = NpgsqlDbType.Timestamp;
                parameter.Value = value is null ? DBNull.Value : DateTime.SpecifyKind(DateTimeOffset.FromUnixTimeMilliseconds(value.GetValue<long>()).UtcDateTime, DateTimeKind.Unspecified);
                return parameter;
            case "org.apache.kafka.connect.data.Date":
                parameter.NpgsqlDbType = NpgsqlDbType.Date;
                parameter.Value = value is null ? DBNull.Value : DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(value.GetValue<int>()));
                return parameter;
            case "org.apache.kafka.connect.data.Time":
                parameter.NpgsqlDbType = NpgsqlDbType.Time;
                parameter.Value = value is null ? DBNull.Value : TimeSpan.FromMilliseconds(value.GetValue<int>());
                return parameter;
            case "org.apache.kafka.connect.data.Decimal":
                parameter.NpgsqlDbType = NpgsqlDbType.Numeric;
                parameter.Value = value is null ? DBNull.Value : Decimal(schema, value);
                return parameter;
            default:
                break;
        }

        (parameter.NpgsqlDbType, parameter.Value) = schema.Type switch
        {
            ConnectSchemaType.Int8 or ConnectSchemaType.Int16 => (NpgsqlDbType.Smallint, value is null ? DBNull.Value : (object)(short)Number(value).GetInt64()),
            ConnectSchemaType.Int32 => (NpgsqlDbType.Integer, value is null ? DBNull.Value : (object)Number(value).GetInt32()),
            ConnectSchemaType.Int64 => (NpgsqlDbType.Bigint, value is null ? DBNull.Value : (object)Number(value).GetInt64()),
            ConnectSchemaType.Float32 => (NpgsqlDbType.Real, value is null ? DBNull.Value : (object)(float)Number(value).GetDouble()),
            ConnectSchemaType.Float64 => (NpgsqlDbType.Double, value is null ? DBNull.Value : (object)Number(value).GetDouble()),
            ConnectSchemaType.Boolean => (NpgsqlDbType.Boolean, value is null ? DBNull.Value : (object)value.GetValue<bool>()),
            ConnectSchemaType.String => (NpgsqlDbType.Text, value is null ? DBNull.Value : (object)value.GetValue<string>()),
            ConnectSchemaType.Bytes => (NpgsqlDbType.Bytea, value is null ? DBNull.Value : (object)Convert.FromBase64String(value.GetValue<string>())),
            ConnectSchemaType.Array => (NpgsqlDbType.Array | NpgsqlDbType.Text, value is null ? DBNull.Value : (object)value.AsArray().Select(i => i?.ToString()).ToArray()),
            _ => throw new ConnectException($"Unsupported source data type: {schema.Type.ToString().ToUpperInvariant()}"),
        };
        return parameter;
    }

    private static NumberValue Number(JsonNode value)
    {
        if (value is JsonValue v)
        {
            if (v.TryGetValue<long>(out var l)) { return new NumberValue(l, l, l); }
            if (v.TryGetValue<int>(out var i)) { return new NumberValue(i, i, i); }
            if (v.TryGetValue<short>(out var sh)) { return new NumberValue(sh, sh, sh); }
            if (v.TryGetValue<sbyte>(out var sb)) { return new NumberValue(sb, sb, sb); }
            if (v.TryGetValue<double>(out var d)) { return new NumberValue((long)d, d, (decimal)d); }
            if (v.TryGetValue<float>(out var f)) { return new NumberValue((long)f, f, (decimal)f); }
            if (v.TryGetValue<decimal>(out var m)) { return new NumberValue((long)m, (double)m, m); }
            if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number)
            {
                return new NumberValue(e.TryGetInt64(out var el) ? el : (long)e.GetDouble(), e.GetDouble(), e.TryGetDecimal(out var em) ? em : (decimal)e.GetDouble());
            }
        }

        throw new DataException("Expected a number, found " + value.GetValueKind());
    }

    private readonly record struct NumberValue(long Integer, double Real, decimal Exact)
    {
        public long GetInt64() => Integer;

        public int GetInt32() => checked((int)Integer);

        public double GetDouble() => Real;

        public decimal GetDecimal() => Exact;
    }

    private static decimal Decimal(ConnectSchema schema, JsonNode value)
    {
        var scale = schema.Parameters.TryGetValue("scale", out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : 0;
        if (value.GetValueKind() == JsonValueKind.Number)
        {
            return Number(value).GetDecimal();
        }

        var bytes = Convert.FromBase64String(value.GetValue<string>());
        var unscaled = new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
        return (decimal)unscaled / (decimal)Math.Pow(10, scale);
    }
}
