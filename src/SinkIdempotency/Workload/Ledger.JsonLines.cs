using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace SinkIdempotency.Workload;

/// <content>Writes and reads the ledger as JSON lines, one entry per line, for evidence and offline replays.</content>
public sealed partial class Ledger
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>Writes the entries appended so far as JSON lines.</summary>
    /// <param name="destination">The stream to write to; it stays open.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when every line is written and flushed.</returns>
    /// <remarks>
    /// Each line is an object with <c>eventId</c>, <c>topic</c>, <c>partition</c>, <c>offset</c>, <c>key</c> (null when absent),
    /// <c>version</c> (null when absent), <c>valueHash</c> (16 hex digits, a string so JavaScript readers keep all 64 bits),
    /// <c>produceTime</c> (ISO 8601) and <c>poison</c>.
    /// </remarks>
    public async Task WriteJsonLinesAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var entries = Snapshot();
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        foreach (var entry in entries)
        {
            WriteLine(writer, entry);
            writer.Flush();
            writer.Reset();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= 60 * 1024)
            {
                await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the entries appended so far as JSON lines to a new file.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public async Task WriteJsonLinesAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await WriteJsonLinesAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a ledger written by <see cref="WriteJsonLinesAsync(Stream, CancellationToken)"/>.</summary>
    /// <param name="source">The stream to read; it stays open.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ledger with the entries in file order.</returns>
    /// <exception cref="FormatException">Thrown when a line is not a ledger entry; the message names the line.</exception>
    public static async Task<Ledger> ReadJsonLinesAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var ledger = new Ledger();
        using var reader = new StreamReader(source, leaveOpen: true);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            ledger._entries.Add(ParseLine(line, lineNumber));
        }

        return ledger;
    }

    /// <summary>Reads a ledger file written by <see cref="WriteJsonLinesAsync(string, CancellationToken)"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ledger with the entries in file order.</returns>
    public static async Task<Ledger> ReadJsonLinesAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadJsonLinesAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void WriteLine(Utf8JsonWriter writer, LedgerEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("eventId"u8, entry.EventId);
        writer.WriteString("topic"u8, entry.Topic);
        writer.WriteNumber("partition"u8, entry.Partition);
        writer.WriteNumber("offset"u8, entry.Offset);
        if (entry.Key is null)
        {
            writer.WriteNull("key"u8);
        }
        else
        {
            writer.WriteString("key"u8, entry.Key);
        }

        if (entry.Version is { } version)
        {
            writer.WriteNumber("version"u8, version);
        }
        else
        {
            writer.WriteNull("version"u8);
        }

        writer.WriteString("valueHash"u8, ValueHash.Format(entry.ValueHash));
        writer.WriteString("produceTime"u8, entry.ProduceTime);
        writer.WriteBoolean("poison"u8, entry.Poison);
        writer.WriteEndObject();
    }

    private static LedgerEntry ParseLine(string line, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var key = root.TryGetProperty("key", out var keyElement) && keyElement.ValueKind == JsonValueKind.String
                ? keyElement.GetString()
                : null;
            long? version = root.TryGetProperty("version", out var versionElement) && versionElement.ValueKind == JsonValueKind.Number
                ? versionElement.GetInt64()
                : null;
            var poison = root.TryGetProperty("poison", out var poisonElement) && poisonElement.ValueKind == JsonValueKind.True;
            return new LedgerEntry(
                Required(root, "eventId").GetString()!,
                Required(root, "topic").GetString()!,
                Required(root, "partition").GetInt32(),
                Required(root, "offset").GetInt64(),
                key,
                version,
                ValueHash.Parse(Required(root, "valueHash").GetString()!),
                Required(root, "produceTime").GetDateTimeOffset())
            {
                Poison = poison,
            };
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new FormatException(
                string.Create(CultureInfo.InvariantCulture, $"Ledger line {lineNumber} is not a ledger entry: {exception.Message}"),
                exception);
        }
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? element
            : throw new KeyNotFoundException($"the property '{name}' is missing.");
}
