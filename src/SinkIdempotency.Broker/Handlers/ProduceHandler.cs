using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>
/// Appends each partition's record batch after validating it (one magic-2 batch, CRC-32C, size,
/// idempotent sequence); acks=0 sends no response.
/// </summary>
/// <remarks>
/// Runs synchronously on the connection's reader so pipelined batches of one producer are appended in
/// the order they were sent, which the idempotent sequence checks depend on.
/// </remarks>
internal sealed class ProduceHandler(BrokerState state)
    : ApiHandler<ProduceRequest>(ApiKey.Produce, minVersion: 3, maxVersion: 7, firstFlexible: 9)
{
    protected override Response? Handle(ProduceRequest request, RequestContext context)
    {
        var results = new List<ProduceTopicResponse>(request.Topics.Count);
        var acksValid = request.Acks is 0 or 1 or -1;
        foreach (var topicData in request.Topics)
        {
            var topic = acksValid ? state.Topics.GetOrAutoCreate(topicData.Name) : null;
            var partitions = new List<ProducePartitionResponse>(topicData.Partitions.Count);
            foreach (var partitionData in topicData.Partitions)
            {
                if (!acksValid)
                {
                    partitions.Add(new ProducePartitionResponse(partitionData.Index, ErrorCode.InvalidRequiredAcks, -1, -1));
                }
                else if (request.TransactionalId is not null)
                {
                    partitions.Add(new ProducePartitionResponse(partitionData.Index, ErrorCode.TransactionalIdAuthorizationFailed, -1, -1));
                }
                else
                {
                    partitions.Add(Append(topic, partitionData, context.ApiVersion));
                }
            }

            results.Add(new ProduceTopicResponse(topicData.Name, partitions));
        }

        return request.Acks == 0 ? null : new ProduceResponse(results);
    }

    private static ProducePartitionResponse Append(Topic? topic, ProducePartitionData data, short version)
    {
        var log = topic?.GetPartition(data.Index);
        if (log is null)
        {
            return new ProducePartitionResponse(data.Index, ErrorCode.UnknownTopicOrPartition, -1, -1);
        }

        if (data.Records is not { } records)
        {
            return new ProducePartitionResponse(data.Index, ErrorCode.InvalidRecord, -1, log.LogStartOffset);
        }

        var span = records.Span;
        var error = RecordBatchHeader.Validate(span, version, out var header);
        if (error == ErrorCode.None && span.Length > topic!.MaxMessageBytes)
        {
            error = ErrorCode.MessageTooLarge;
        }

        if (error != ErrorCode.None)
        {
            return new ProducePartitionResponse(data.Index, error, -1, log.LogStartOffset);
        }

        var appended = log.Append(span, header);
        return new ProducePartitionResponse(data.Index, appended.Error, appended.BaseOffset, appended.LogStartOffset);
    }
}
