using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Turns a Connect value (as the worker's JSON converter hands it over) into the CLR value a database driver binds.</summary>
internal static class ConnectValues
{
    /// <summary>Converts a value of a Connect schema: logical types (Timestamp, Date, Time, Decimal) first, then the schema's type; <see cref="DBNull"/> for null.</summary>
    public static object ToClr(ConnectSchema schema, JsonNode? value)
    {
        if (value is null)
        {
            return DBNull.Value;
        }

        switch (schema.Name)
        {
            case "org.apache.kafka.connect.data.Timestamp":
                return DateTime.SpecifyKind(DateTimeOffset.FromUnixTimeMilliseconds(value.GetValue<long>()).UtcDateTime, DateTimeKind.Unspecified);
            case "org.apache.kafka.connect.data.Date":
                return DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(value.GetValue<int>()));
            case "org.apache.kafka.connect.data.Time":
                return TimeSpan.FromMilliseconds(value.GetValue<int>());
            case "org.apache.kafka.connect.data.Decimal":
                return Decimal(schema, value);
            default:
                break;
        }

        return schema.Type switch
        {
            ConnectSchemaType.Int8 or ConnectSchemaType.Int16 => (short)Number(value).GetInt64(),
            ConnectSchemaType.Int32 => Number(value).GetInt32(),
            ConnectSchemaType.Int64 => Number(value).GetInt64(),
            ConnectSchemaType.Float32 => (float)Number(value).GetDouble(),
            ConnectSchemaType.Float64 => Number(value).GetDouble(),
            ConnectSchemaType.Boolean => value.GetValue<bool>(),
            ConnectSchemaType.String => value.GetValue<string>(),
            ConnectSchemaType.Bytes => Convert.FromBase64String(value.GetValue<string>()),
            ConnectSchemaType.Array => value.AsArray().Select(i => i?.ToString()).ToArray(),
            _ => throw new ConnectException($"Unsupported source data type: {schema.Type.ToString().ToUpperInvariant()}"),
        };
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
