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
