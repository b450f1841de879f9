using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Rest;

/// <summary>The offsets endpoints (KIP-875): <c>GET</c>, <c>PATCH</c> and <c>DELETE /connectors/{name}/offsets</c>, with Connect's sink shapes and messages.</summary>
internal sealed partial class ConnectRestServer
{
    private const string KafkaTopicKey = "kafka_topic";
    private const string KafkaPartitionKey = "kafka_partition";
    private const string KafkaOffsetKey = "kafka_offset";

    internal static JsonObject OffsetsBody(IEnumerable<(TopicPartition Partition, long Offset)> offsets)
    {
        var array = new JsonArray();
        foreach (var (partition, offset) in offsets)
        {
            array.Add(new JsonObject
            {
                ["partition"] = new JsonObject { [KafkaTopicKey] = partition.Topic, [KafkaPartitionKey] = partition.Partition },
                ["offset"] = new JsonObject { [KafkaOffsetKey] = offset },
            });
        }

        return new JsonObject { ["offsets"] = array };
    }

    /// <summary>Parses a PATCH body as Connect's <c>SinkUtils.parseSinkConnectorOffsets</c> does; a null offset resets its partition.</summary>
    internal static Dictionary<TopicPartition, long?> ParseSinkOffsets(JsonNode? body)
    {
        if (body is not JsonObject obj || obj["offsets"] is not JsonArray entries || entries.Count == 0)
        {
            throw ConnectRestException.BadRequest("Partitions / offsets need to be provided for an alter offsets request");
        }

        var parsed = new Dictionary<TopicPartition, long?>();
        foreach (var entry in entries)
        {
            if (entry?["partition"] is not JsonObject partition)
            {
                throw ConnectRestException.BadRequest("The partition for a sink connector offset cannot be null or missing");
            }

            if (!partition.ContainsKey(KafkaTopicKey) || !partition.ContainsKey(KafkaPartitionKey))
            {
                throw ConnectRestException.BadRequest($"The partition for a sink connector offset must contain the keys '{KafkaTopicKey}' and '{KafkaPartitionKey}'");
            }

            var topic = Scalar(partition[KafkaTopicKey]) ?? throw ConnectRestException.BadRequest("Kafka topic names must be valid strings and may not be null");
            var partitionText = Scalar(partition[KafkaPartitionKey]) ?? throw ConnectRestException.BadRequest("Kafka partitions must be valid numbers and may not be null");
            if (!int.TryParse(partitionText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var partitionNumber))
            {
                throw ConnectRestException.BadRequest($"Failed to parse the following Kafka partition value in the provided offsets: '{partitionText}'. Partition values for sink connectors need to be integers.");
            }

            var key = new TopicPartition(topic, partitionNumber);
            if (entry["offset"] is not JsonObject offset)
            {
                parsed[key] = null;
                continue;
            }

            if (!offset.ContainsKey(KafkaOffsetKey))
            {
                throw ConnectRestException.BadRequest($"The offset for a sink connector should either be null or contain the key '{KafkaOffsetKey}'");
            }

            var offsetText = Scalar(offset[KafkaOffsetKey]);
            if (!long.TryParse(offsetText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offsetNumber))
            {
                throw ConnectRestException.BadRequest($"Failed to parse the following Kafka offset value in the provided offsets: '{offsetText ?? "null"}'. Offset values for sink connectors need to be integers.");
            }

            parsed[key] = offsetNumber;
        }

        return parsed;
    }

    private static string? Scalar(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };

    private void MapOffsetRoutes(IEndpointRouteBuilder app)
    {
        app.MapGet("/connectors/{name}/offsets", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            var offsets = await herder.ConnectorOffsetsAsync(Name(context), context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 200, OffsetsBody(offsets)).ConfigureAwait(false);
        });
        app.MapMethods("/connectors/{name}/offsets", [HttpMethods.Patch], async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            var body = context.Request.ContentLength == 0 ? null : await ReadBodyAsync(context).ConfigureAwait(false);
            if (body is not JsonObject obj || obj["offsets"] is not JsonArray { Count: > 0 })
            {
                throw ConnectRestException.BadRequest("Partitions / offsets need to be provided for an alter offsets request");
            }

            // As Connect: the connector's existence and STOPPED state are checked before the partitions are parsed.
            var message = await herder.AlterConnectorOffsetsAsync(Name(context), () => ParseSinkOffsets(body), context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 200, new JsonObject { ["message"] = message }).ConfigureAwait(false);
        });
        app.MapDelete("/connectors/{name}/offsets", async context =>
        {
            var herder = await HerderAsync(context).ConfigureAwait(false);
            var message = await herder.ResetConnectorOffsetsAsync(Name(context), context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 200, new JsonObject { ["message"] = message }).ConfigureAwait(false);
        });
    }
}
