using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>
/// Moves each partition's log start offset forward, as Kafka's <c>Partition.deleteRecordsOnLeader</c> does:
/// -1 means the high watermark; an offset below 0 or above the high watermark is OFFSET_OUT_OF_RANGE; a
/// topic whose <c>cleanup.policy</c> lacks <c>delete</c> answers POLICY_VIOLATION; an offset at or below the
/// current log start changes nothing. ListOffsets earliest and Fetch honour the new start at once.
/// </summary>
internal sealed class DeleteRecordsHandler(BrokerState state)
    : ApiHandler<DeleteRecordsRequest>(ApiKey.DeleteRecords, minVersion: 0, maxVersion: 2, firstFlexible: DeleteRecordsRequest.FirstFlexible)
{
    protected override Response? Handle(DeleteRecordsRequest request, RequestContext context) =>
        new DeleteRecordsResponse([.. request.Topics.Select(t =>
        {
            state.Topics.TryGet(t.Name, out var topic);
            return new DeleteRecordsTopicResult(t.Name, [.. t.Partitions.Select(p => Delete(topic, p))]);
        })]);

    private DeleteRecordsPartitionResult Delete(Topic? topic, DeleteRecordsPartition request)
    {
        if (topic?.GetPartition(request.Index) is not { } log)
        {
            return Failed(request, ErrorCode.UnknownTopicOrPartition);
        }

        if (!topic.Config.Delete)
        {
            return Failed(request, ErrorCode.PolicyViolation);
        }

        var offset = request.Offset == DeleteRecordsRequest.HighWatermark ? log.HighWatermark : request.Offset;
        if (offset < 0 || offset > log.HighWatermark)
        {
            return Failed(request, ErrorCode.OffsetOutOfRange);
        }

        state.Topics.DeleteRecords(log, offset);
        return new DeleteRecordsPartitionResult(request.Index, log.LogStartOffset, ErrorCode.None);
    }

    private static DeleteRecordsPartitionResult Failed(DeleteRecordsPartition request, ErrorCode error) =>
        new(request.Index, DeleteRecordsResponse.InvalidLowWatermark, error);
}
