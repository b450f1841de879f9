using System.Text;
using System.Text.Json;

namespace SinkIdempotency.Assessment;

/// <content>Writes <c>assessment.json</c>; the schema is documented in <c>docs/assessment-json.md</c>.</content>
public sealed partial record AssessmentScorecard
{
    /// <summary>Gets the version of the <c>assessment.json</c> schema this type writes.</summary>
    public const int JsonSchemaVersion = 1;

    /// <summary>Writes the scorecard as <c>assessment.json</c> (schema in <c>docs/assessment-json.md</c>).</summary>
    /// <returns>Indented UTF-8 JSON text.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", JsonSchemaVersion);
            json.WriteString("name", Name);
            json.WriteString("environment", Environment);
            json.WriteString("generatedAt", GeneratedAt);
            json.WriteString("overall", StatusKey(Overall));
            json.WriteStartArray("rows");
            foreach (var row in Rows)
            {
                json.WriteStartObject();
                json.WriteString("area", AreaKey(row.Area));
                json.WriteString("title", row.Title);
                WriteNullable(json, "subject", row.Subject);
                json.WriteString("status", StatusKey(row.Status));
                json.WriteString("summary", row.Summary);
                json.WriteStartArray("figures");
                foreach (var figure in row.Figures)
                {
                    json.WriteStartObject();
                    json.WriteString("name", figure.Name);
                    if (double.IsFinite(figure.Value))
                    {
                        json.WriteNumber("value", figure.Value);
                    }
                    else
                    {
                        // JSON has no infinity; null means unbounded (e.g. retention.ms=-1 keeps forever).
                        json.WriteNull("value");
                    }

                    json.WriteString("unit", figure.Unit);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("offsets");
                foreach (var offset in row.Offsets)
                {
                    json.WriteStartObject();
                    json.WriteString("stage", offset.Stage);
                    json.WriteString("group", offset.Group);
                    json.WriteNumber("partition", offset.Partition);
                    if (offset.Committed is { } committed)
                    {
                        json.WriteNumber("committed", committed);
                    }
                    else
                    {
                        json.WriteNull("committed");
                    }

                    json.WriteNumber("logEnd", offset.LogEnd);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                WriteNullable(json, "remediation", string.IsNullOrWhiteSpace(row.Remediation) ? null : row.Remediation);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("missingRemediation");
            foreach (var row in MissingRemediation)
            {
                json.WriteStringValue(row.Title);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a scorecard back from <c>assessment.json</c> text, e.g. to compare two platforms' assessments.</summary>
    /// <param name="json">The text <see cref="ToJson"/> wrote.</param>
    /// <returns>The scorecard; an unbounded figure (JSON null) reads as positive infinity.</returns>
    /// <exception cref="InvalidDataException">Thrown when the text is not JSON, not an assessment, or of another schema version; the message names the field.</exception>
    public static AssessmentScorecard FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                throw new InvalidDataException("not an assessment.json: no schemaVersion at the top (write one with sink-idempotency assess FILE --out DIR)");
            }

            if (version.GetInt32() != JsonSchemaVersion)
            {
                throw new InvalidDataException($"schemaVersion {version.GetInt32()} is not supported; this version reads {JsonSchemaVersion}");
            }

            var rows = Property(root, "rows", JsonValueKind.Array).EnumerateArray().Select((row, i) => new AssessmentRow(
                ParseArea(Text(row, "area", i)),
                Property(row, "subject", JsonValueKind.String, nullable: true, i) is { ValueKind: JsonValueKind.String } subject ? subject.GetString() : null,
                ParseStatus(Text(row, "status", i)),
                Text(row, "summary", i),
                [.. Property(row, "figures", JsonValueKind.Array, index: i).EnumerateArray().Select(f => new AssessmentFigure(
                    Text(f, "name", i),
                    Property(f, "value", JsonValueKind.Number, nullable: true, i) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : double.PositiveInfinity,
                    Text(f, "unit", i)))],
                Property(row, "remediation", JsonValueKind.String, nullable: true, i) is { ValueKind: JsonValueKind.String } plan ? plan.GetString() : null)
            {
                // Optional: files written before the rollback dual run have no offsets.
                Offsets = row.TryGetProperty("offsets", out var offsets) && offsets.ValueKind == JsonValueKind.Array
                    ? [.. offsets.EnumerateArray().Select(o => new AssessedOffsets(
                        Text(o, "stage", i),
                        Text(o, "group", i),
                        Property(o, "partition", JsonValueKind.Number, index: i).GetInt32(),
                        Property(o, "committed", JsonValueKind.Number, nullable: true, i) is { ValueKind: JsonValueKind.Number } c ? c.GetInt64() : null,
                        Property(o, "logEnd", JsonValueKind.Number, index: i).GetInt64()))]
                    : [],
            });
            return new AssessmentScorecard(Text(root, "name"), Text(root, "environment"), Property(root, "generatedAt", JsonValueKind.String).GetDateTimeOffset(), [.. rows]);
        }
    }

    private static JsonElement Property(JsonElement parent, string name, JsonValueKind kind, bool nullable = false, int? index = null)
    {
        if (!parent.TryGetProperty(name, out var value) || !(value.ValueKind == kind || (nullable && value.ValueKind == JsonValueKind.Null)))
        {
            throw new InvalidDataException($"not an assessment.json: {(index is { } i ? $"rows[{i}]." : string.Empty)}{name} is missing or not a {kind.ToString().ToLowerInvariant()}");
        }

        return value;
    }

    private static string Text(JsonElement parent, string name, int? index = null) => Property(parent, name, JsonValueKind.String, index: index).GetString()!;

    private static AssessmentArea ParseArea(string key) =>
        Enum.GetValues<AssessmentArea>().FirstOrDefault(a => AreaKey(a) == key, (AssessmentArea)(-1)) is var area && Enum.IsDefined(area)
            ? area
            : throw new InvalidDataException($"not an assessment.json: unknown area '{key}'");

    private static AssessmentStatus ParseStatus(string key) =>
        Enum.GetValues<AssessmentStatus>().FirstOrDefault(s => StatusKey(s) == key, (AssessmentStatus)(-1)) is var status && Enum.IsDefined(status)
            ? status
            : throw new InvalidDataException($"not an assessment.json: unknown status '{key}'");

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
