using System.Text.Json.Nodes;

namespace SinkIdempotency.Cli.Tests.Support;

/// <summary>
/// Checks a JSON document against the subset of JSON Schema 2020-12 that docs/scorecard.schema.json and docs/assessment.schema.json use:
/// type (one or a list), required, properties, additionalProperties: false, items, enum, minimum and local $ref.
/// </summary>
internal static class JsonSchemaCheck
{
    public static IReadOnlyList<string> Validate(JsonNode? document, JsonObject schema)
    {
        var errors = new List<string>();
        Check(document, schema, schema, "$", errors);
        return errors;
    }

    private static void Check(JsonNode? node, JsonObject schema, JsonObject root, string path, List<string> errors)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            var target = reference.GetValue<string>().TrimStart('#', '/').Split('/').Aggregate((JsonNode)root, (n, part) => n[part]!);
            Check(node, target.AsObject(), root, path, errors);
            return;
        }

        // "type" is one name, or a list of names any of which will do (e.g. ["string", "null"]).
        if (schema["type"] is { } type)
        {
            var names = type is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!names.Any(n => HasType(node, n)))
            {
                errors.Add($"{path}: expected {string.Join(" or ", names)}, got {node?.ToJsonString() ?? "null"}");
                return;
            }
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            errors.Add($"{path}: {node?.ToJsonString()} is not one of {allowed.ToJsonString()}");
        }

        if (schema["minimum"] is JsonValue minimum && node is JsonValue number && Number(number) < Number(minimum))
        {
            errors.Add($"{path}: {number} is below {minimum}");
        }

        if (node is JsonObject obj)
        {
            var properties = schema["properties"] as JsonObject;
            foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
            {
                if (!obj.ContainsKey(required))
                {
                    errors.Add($"{path}: missing required property '{required}'");
                }
            }

            foreach (var (name, value) in obj)
            {
                if (properties?[name] is JsonObject propertySchema)
                {
                    Check(value, propertySchema, root, $"{path}.{name}", errors);
                }
                else if (schema["additionalProperties"] is JsonValue additional && !additional.GetValue<bool>())
                {
                    errors.Add($"{path}: property '{name}' is not in the schema");
                }
            }
        }

        if (node is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, root, $"{path}[{i}]", errors);
            }
        }
    }

    private static double Number(JsonValue value) =>
        value.TryGetValue<long>(out var l) ? l : value.TryGetValue<int>(out var i) ? i : value.GetValue<double>();

    private static bool HasType(JsonNode? node, string type) => type switch
    {
        "object" => node is JsonObject,
        "array" => node is JsonArray,
        "string" => node is JsonValue s && s.TryGetValue<string>(out _),
        "integer" => node is JsonValue i && (i.TryGetValue<long>(out _) || i.TryGetValue<int>(out _) || (i.TryGetValue<double>(out var d) && d % 1 == 0)),
        "number" => node is JsonValue n && (n.TryGetValue<double>(out _) || n.TryGetValue<long>(out _) || n.TryGetValue<int>(out _)),
        "boolean" => node is JsonValue b && b.TryGetValue<bool>(out _),
        "null" => node is null,
        _ => false,
    };
}
