using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Answers ListOffsets: latest (-1) = high watermark, earliest (-2) = log start, or the first record at or after a timestamp.</summary>
internal sealed class ListOffsetsHandler(BrokerState state)
    : ApiHandler<ListOffsetsRequest>(ApiKey.ListOffsets, minVersion: 1, maxVersion: 5, firstFlexible: 6)
{
    protected override Response? Handle(ListOffsetsRequest request, RequestContext context)
    {
        var topics = new List<ListOffsetsTopicResponse>(request.Topics.Count);
        foreach (var topicRequest in request.Topics)
        {
            state.Topics.TryGet(topicRequest.Name, out var topic);
            var partitions = new List<ListOffsetsPartitionResponse>(topicRequest.Partitions.Count);
            foreach (var p in topicRequest.Partitions)
            {
                var log = topic?.GetPartition(p.Index);
                if (log is null)
                {
                    partitions.Add(new ListOffsetsPartitionResponse(p.Index, ErrorCode.UnknownTopicOrPartition, -1, -1, -1));
                    continue;
                }

                partitions.Add(p.Timestamp switch
                {
                    ListOffsetsRequest.Latest => new ListOffsetsPartitionResponse(p.Index, ErrorCode.None, -1, log.HighWatermark, 0),
                    ListOffsetsRequest.Earliest => new ListOffsetsPartitionResponse(p.Index, ErrorCode.None, -1, log.LogStartOffset, 0),
                    < 0 => new ListOffsetsPartitionResponse(p.Index, ErrorCode.UnsupportedVersion, -1, -1, -1),
                    _ => ByTimestamp(p.Index, log.FindOffsetByTimestamp(p.Timestamp)),
                });
            }

            topics.Add(new ListOffsetsTopicResponse(topicRequest.Name, partitions));
        }

        return new ListOffsetsResponse(topics);
    }

    private static ListOffsetsPartitionResponse ByTimestamp(int index, (long Offset, long Timestamp) found) =>
        new(index, ErrorCode.None, found.Timestamp, found.Offset, found.Offset < 0 ? -1 : 0);
}
