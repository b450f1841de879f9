using System.Globalization;
using System.Text.Json;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Targets;

/// <summary>Reads the mapped fields of one JSON record value into a <see cref="TargetRow"/>.</summary>
internal static class JsonValueFields
{
    public static TargetRow ToRow(JsonElement value, JsonValueMapping mapping, SourcePosition? source)
    {
        var fields = Unwrap(value);
        if (fields.ValueKind != JsonValueKind.Object)
        {
            return new TargetRow(null, Source: source);
        }

        var eventId = Text(fields, mapping.EventIdField);
        var key = mapping.KeyField is null ? null : Text(fields, mapping.KeyField);
        long? version = null;
        if (mapping.VersionField is not null && fields.TryGetProperty(mapping.VersionField, out var v))
        {
            version = v.ValueKind switch
            {
                JsonValueKind.Number when v.TryGetInt64(out var n) => n,
                JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                _ => null,
            };
        }

        ulong? hash = null;
        if (mapping.HashedField is not null && fields.TryGetProperty(mapping.HashedField, out var hashed) && hashed.ValueKind == JsonValueKind.String)
        {
            hash = ValueHash.Compute(hashed.GetString()!);
        }

        return new TargetRow(eventId, key, version, hash, source);
    }

    public static TargetRow ToRow(ReadOnlySpan<byte> json, JsonValueMapping mapping, SourcePosition? source)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return ToRow(document.RootElement, mapping, source);
        }
        catch (JsonException)
        {
            // The target holds something that is not JSON: it is a row without an event id, which the reconciler reports as unexpected.
            return new TargetRow(null, Source: source);
        }
    }

    private static JsonElement Unwrap(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("schema", out _)
            && value.TryGetProperty("payload", out var payload)
            && payload.ValueKind == JsonValueKind.Object)
        {
            return payload;
        }

        return value;
    }

    private static string? Text(JsonElement fields, string name) =>
        fields.TryGetProperty(name, out var element)
            ? element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
                _ => null,
            }
            : null;
}
