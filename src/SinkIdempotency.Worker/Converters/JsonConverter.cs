using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Converters;

/// <summary>
/// Reads Connect's JSON format (Connect's <c>JsonConverter</c>): with <c>schemas.enable=true</c> an envelope
/// <c>{"schema":…,"payload":…}</c> whose payload is checked against the schema; without, plain JSON and no schema.
/// </summary>
internal sealed class JsonConverter(bool schemasEnabled) : IRecordConverter
{
    internal const string EnvelopeRequiredMessage =
        "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. "
        + "If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.";

    public bool SchemasEnabled { get; } = schemasEnabled;

    public (ConnectSchema? Schema, JsonNode? Value) ToConnectData(string topic, byte[]? data)
    {
        if (data is null)
        {
            return (null, null);
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(data);
        }
        catch (JsonException e)
        {
            throw new DataException("Converting byte[] to Kafka Connect data failed due to serialization error: ", e);
        }

        if (!SchemasEnabled)
        {
            return (null, json);
        }

        if (json is not JsonObject envelope || envelope.Count != 2 || !envelope.ContainsKey("schema") || !envelope.ContainsKey("payload"))
        {
            throw new DataException(EnvelopeRequiredMessage);
        }

        var schemaNode = envelope["schema"];
        var payload = envelope["payload"];
        if (schemaNode is null)
        {
            return (null, payload?.DeepClone());
        }

        var schema = ParseSchema(schemaNode);
        return (schema, ConvertValue(schema, payload));
    }

    internal static ConnectSchema ParseSchema(JsonNode node)
    {
        if (node is not JsonObject obj)
        {
            throw new DataException("Schema must be a JSON object");
        }

        var typeName = obj["type"] is JsonValue typeValue && typeValue.TryGetValue<string>(out var t)
            ? t
            : throw new DataException("Schema must contain 'type' field");
        var type = typeName switch
        {
            "boolean" => ConnectSchemaType.Boolean,
            "int8" => ConnectSchemaType.Int8,
            "int16" => ConnectSchemaType.Int16,
            "int32" => ConnectSchemaType.Int32,
            "int64" => ConnectSchemaType.Int64,
            "float" => ConnectSchemaType.Float32,
            "double" => ConnectSchemaType.Float64,
            "bytes" => ConnectSchemaType.Bytes,
            "string" => ConnectSchemaType.String,
            "array" => ConnectSchemaType.Array,
            "map" => ConnectSchemaType.Map,
            "struct" => ConnectSchemaType.Struct,
            _ => throw new DataException("Unknown schema type: " + typeName),
        };

        var fields = new List<ConnectField>();
        ConnectSchema? keySchema = null;
        ConnectSchema? valueSchema = null;
        switch (type)
        {
            case ConnectSchemaType.Struct:
                if (obj["fields"] is not JsonArray fieldArray)
                {
                    throw new DataException("Struct schema's \"fields\" argument is not an array.");
                }

                foreach (var fieldNode in fieldArray)
                {
                    var name = fieldNode?["field"]?.GetValue<string>() ?? throw new DataException("Struct schema's field name not specified properly");
                    fields.Add(new ConnectField(name, fields.Count, ParseSchema(fieldNode!)));
                }

                break;
            case ConnectSchemaType.Array:
                valueSchema = ParseSchema(obj["items"] ?? throw new DataException("Array schema did not specify the element type"));
                break;
            case ConnectSchemaType.Map:
                keySchema = ParseSchema(obj["keys"] ?? throw new DataException("Map schema did not specify the key type"));
                valueSchema = ParseSchema(obj["values"] ?? throw new DataException("Map schema did not specify the value type"));
                break;
            default:
                break;
        }

        var parameters = new Dictionary<string, string>();
        if (obj["parameters"] is JsonObject parameterObject)
        {
            foreach (var (k, v) in parameterObject)
            {
                parameters[k] = v?.ToString() ?? "";
            }
        }

        return new ConnectSchema
        {
            Type = type,
            IsOptional = obj["optional"] is JsonValue optional && optional.TryGetValue<bool>(out var o) && o,
            Name = obj["name"]?.GetValue<string>(),
            Version = obj["version"] is JsonValue version && version.TryGetValue<int>(out var v2) ? v2 : null,
            Doc = obj["doc"]?.GetValue<string>(),
            DefaultValue = obj["default"]?.DeepClone(),
            Fields = fields,
            KeySchema = keySchema,
            ValueSchema = valueSchema,
            Parameters = parameters,
        };
    }

    internal static JsonNode? ConvertValue(ConnectSchema schema, JsonNode? value)
    {
        if (value is null)
        {
            if (schema.DefaultValue is not null)
            {
                return schema.DefaultValue.DeepClone();
            }

            return schema.IsOptional ? null : throw new DataException($"Invalid null value for required {Name(schema.Type)} field");
        }

        switch (schema.Type)
        {
            case ConnectSchemaType.Struct:
                if (value is not JsonObject obj)
                {
                    throw new DataException("Structs should be encoded as JSON objects, found " + value.GetValueKind());
                }

                var result = new JsonObject();
                foreach (var field in schema.Fields)
                {
                    result[field.Name] = ConvertValue(field.Schema, obj[field.Name]);
                }

                return result;
            case ConnectSchemaType.Array:
                if (value is not JsonArray array)
                {
                    throw new DataException("Arrays should be encoded as JSON arrays, found " + value.GetValueKind());
                }

                var items = new JsonArray();
                foreach (var item in array)
                {
                    items.Add(ConvertValue(schema.ValueSchema!, item));
                }

                return items;
            case ConnectSchemaType.Map:
                return value.DeepClone();
            case ConnectSchemaType.Boolean:
                return value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                    ? value.DeepClone()
                    : throw Mismatch(schema, value);
            case ConnectSchemaType.String:
                return value.GetValueKind() == JsonValueKind.String ? value.DeepClone() : throw Mismatch(schema, value);
            case ConnectSchemaType.Bytes:
                if (value.GetValueKind() != JsonValueKind.String)
                {
                    throw Mismatch(schema, value);
                }

                try
                {
                    _ = Convert.FromBase64String(value.GetValue<string>());
                }
                catch (FormatException e)
                {
                    throw new DataException("Invalid bytes field", e);
                }

                return value.DeepClone();
            case ConnectSchemaType.Int8:
            case ConnectSchemaType.Int16:
            case ConnectSchemaType.Int32:
            case ConnectSchemaType.Int64:
                if (value.GetValueKind() != JsonValueKind.Number)
                {
                    throw Mismatch(schema, value);
                }

                var number = value.GetValue<JsonElement>();
                if (!number.TryGetInt64(out var integer))
                {
                    integer = (long)number.GetDouble();
                }

                return schema.Type switch
                {
                    ConnectSchemaType.Int8 => JsonValue.Create((sbyte)integer),
                    ConnectSchemaType.Int16 => JsonValue.Create((short)integer),
                    ConnectSchemaType.Int32 => JsonValue.Create((int)integer),
                    _ => JsonValue.Create(integer),
                };
            case ConnectSchemaType.Float32:
            case ConnectSchemaType.Float64:
                if (value.GetValueKind() != JsonValueKind.Number)
                {
                    throw Mismatch(schema, value);
                }

                var real = value.GetValue<JsonElement>().GetDouble();
                return schema.Type == ConnectSchemaType.Float32 ? JsonValue.Create((float)real) : JsonValue.Create(real);
            default:
                throw new DataException("Unknown schema type: " + schema.Type);
        }
    }

    internal static string Name(ConnectSchemaType type) => type switch
    {
        ConnectSchemaType.Float32 => "FLOAT32",
        ConnectSchemaType.Float64 => "FLOAT64",
        _ => type.ToString().ToUpperInvariant(),
    };

    private static DataException Mismatch(ConnectSchema schema, JsonNode value) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Invalid type for {Name(schema.Type)}: {value.GetValueKind()}"));
}
