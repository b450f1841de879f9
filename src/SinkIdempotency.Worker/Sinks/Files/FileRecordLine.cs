using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>
/// Writes one record as one JSON line: <c>{"topic":…,"partition":…,"offset":…,"key":…,"value":…}</c>. The value is the record's
/// converted value as it is (the payload of a JsonConverter envelope), so the event id and fields can be read back.
/// </summary>
internal static class FileRecordLine
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static void Write(IBufferWriter<byte> output, SinkRecord record)
    {
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("topic", record.OriginalTopic);
            writer.WriteNumber("partition", record.OriginalKafkaPartition);
            writer.WriteNumber("offset", record.OriginalKafkaOffset);
            writer.WritePropertyName("key");
            WriteNode(writer, record.Key);
            writer.WritePropertyName("value");
            WriteNode(writer, record.Value);
            writer.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    public static byte[] ToBytes(SinkRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNode(Utf8JsonWriter writer, System.Text.Json.Nodes.JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
