using SinkIdempotency.Broker.Groups;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Server;

/// <summary>Error answers for the consumer-group and group-admin APIs.</summary>
internal static partial class ErrorResponses
{
    static partial void BuildGroupResponse(ApiKey key, short version, ReadOnlySpan<byte> body, ErrorCode error, ref Response? response)
    {
        var reader = new KafkaReader(body);
        response = key switch
        {
            ApiKey.FindCoordinator => new FindCoordinatorResponse(error, null, -1, string.Empty, -1),
            ApiKey.JoinGroup => JoinGroupResponse.Error(error, JoinGroupRequest.Read(ref reader, version).MemberId),
            ApiKey.SyncGroup => SyncGroupResponse.Error(error),
            ApiKey.Heartbeat => new HeartbeatResponse(error),
            ApiKey.LeaveGroup => new LeaveGroupResponse(error),
            ApiKey.OffsetCommit => OffsetCommitResponse.AllFailed(OffsetCommitRequest.Read(ref reader, version), error),
            ApiKey.OffsetFetch => OffsetFetchError(OffsetFetchRequest.Read(ref reader, version), error),
            ApiKey.ListGroups => new ListGroupsResponse(error, []),
            ApiKey.DescribeGroups => new DescribeGroupsResponse(
                [.. DescribeGroupsRequest.Read(ref reader, version).Groups.Select(g => new DescribedGroup(error, g, string.Empty, string.Empty, string.Empty, [], DescribeGroupsResponse.AuthorizedOperationsOmitted))]),
            ApiKey.DeleteGroups => new DeleteGroupsResponse([.. DeleteGroupsRequest.Read(ref reader, version).GroupNames.Select(g => new DeleteGroupsResult(g, error))]),
            ApiKey.OffsetDelete => new OffsetDeleteResponse(error, []),
            _ => response,
        };
    }

    private static OffsetFetchResponse OffsetFetchError(OffsetFetchRequest request, ErrorCode error) =>
        new(
            [.. (request.Topics ?? []).Select(t => new OffsetFetchResponseTopic(
                t.Name,
                [.. t.PartitionIndexes.Select(p => ConsumerGroup.NoOffset(p) with { ErrorCode = error })]))],
            error);
}
