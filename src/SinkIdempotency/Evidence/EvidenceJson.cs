using System.Text.Json;
using System.Text.Json.Serialization;

namespace SinkIdempotency.Evidence;

/// <summary>Writes evidence documents as JSON (schema version 1).</summary>
/// <remarks>
/// <code>
/// { "schemaVersion": 1, "scenario", "runId", "environment", "fault", "connector", "connectorConfig": { … },
///   "events": [ { "type": "step" | "offsets" | "connector-state" | "assignment" | "fault-action" | "proxy-counters"
///                       | "dead-letters" | "target" | "worker-log" | "task-failure" | "sample-gap" | "rebalance",
///                 "at": "2026-01-01T00:00:00+00:00", "step": "stream", …kind-specific fields } ] }
/// </code>
/// Names are camelCase. Kind-specific fields are those of the derived <see cref="EvidenceEvent"/> records. Every string is
/// written through <see cref="Connect.SecretRedactor.RedactText"/>, so a secret that reached an event on any path never reaches the file.
/// </remarks>
public static class EvidenceJson
{
    /// <summary>The schema version written in <c>schemaVersion</c>.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new RedactingStringConverter() },
    };

    /// <summary>Serialises a document to JSON text.</summary>
    /// <param name="document">The document.</param>
    /// <returns>Indented JSON.</returns>
    public static string ToJson(EvidenceDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.Serialize(document, Options);
    }

    /// <summary>Serialises a document to a file, creating its folder.</summary>
    /// <param name="document">The document.</param>
    /// <param name="path">The file path.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public static async Task WriteAsync(EvidenceDocument document, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, document, Options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a document back from JSON text.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The document.</returns>
    /// <exception cref="JsonException">Thrown when the text is not an evidence document.</exception>
    public static EvidenceDocument Parse(string json) =>
        JsonSerializer.Deserialize<EvidenceDocument>(json, Options) ?? throw new JsonException("The evidence document is null.");

    /// <summary>Writes every string value through the secret redactor; reads strings as they are.</summary>
    private sealed class RedactingStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Connect.SecretRedactor.RedactText(value));
    }
}
