using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Server;

/// <summary>
/// Builds a well-formed response for (API, version, request body) that carries one error code in every
/// place the API has one; used by fault injection ("respond with error X") and for handler failures.
/// </summary>
internal static partial class ErrorResponses
{
    /// <summary>Builds the error response, or returns null when the API has no error builder (the connection is then closed).</summary>
    /// <exception cref="ProtocolException">The request body cannot be decoded.</exception>
    public static Response? Build(ApiKey key, short version, ReadOnlySpan<byte> body, ErrorCode error)
    {
        var reader = new KafkaReader(body);
        switch (key)
        {
            case ApiKey.ApiVersions:
                return new ApiVersionsResponse(error, []);

            case ApiKey.Metadata:
            {
                var request = MetadataRequest.Read(ref reader, version);
                return new MetadataResponse
                {
                    Brokers = [],
                    Topics = [.. (request.Topics ?? []).Select(t => new MetadataTopic(error, t, false, [], MetadataResponse.AuthorizedOperationsOmitted))],
                };
            }

            case ApiKey.Produce:
            {
                var request = ProduceRequest.Read(ref reader, version, new byte[body.Length]);
                return request.Acks == 0
                    ? null
                    : new ProduceResponse([.. request.Topics.Select(t => new ProduceTopicResponse(t.Name, [.. t.Partitions.Select(p => new ProducePartitionResponse(p.Index, error, -1, -1))]))]);
            }

            case ApiKey.Fetch:
            {
                var request = FetchRequest.Read(ref reader, version);
                return new FetchResponse(
                    version >= 7 ? error : ErrorCode.None,
                    [.. request.Topics.Select(t => new FetchTopicResponse(t.Name, [.. t.Partitions.Select(p => new FetchPartitionResponse(p.Index, error, -1, -1, -1, []))]))]);
            }

            case ApiKey.ListOffsets:
            {
                var request = ListOffsetsRequest.Read(ref reader, version);
                return new ListOffsetsResponse([.. request.Topics.Select(t => new ListOffsetsTopicResponse(t.Name, [.. t.Partitions.Select(p => new ListOffsetsPartitionResponse(p.Index, error, -1, -1, -1))]))]);
            }

            case ApiKey.CreateTopics:
            {
                var request = CreateTopicsRequest.Read(ref reader, version);
                return new CreateTopicsResponse([.. request.Topics.Select(t => new CreateTopicResult(t.Name, error, null))]);
            }

            case ApiKey.DeleteTopics:
            {
                var request = DeleteTopicsRequest.Read(ref reader, version);
                return new DeleteTopicsResponse([.. request.TopicNames.Select(n => (n, error))]);
            }

            case ApiKey.DescribeConfigs:
            {
                var request = DescribeConfigsRequest.Read(ref reader, version);
                return new DescribeConfigsResponse([.. request.Resources.Select(r => new DescribeConfigsResult(error, null, r.ResourceType, r.ResourceName, []))], request.IncludeSynonyms);
            }

            case ApiKey.InitProducerId:
                return new InitProducerIdResponse(error, -1, -1);

            default:
                Response? response = null;
                BuildGroupResponse(key, version, body, error, ref response);
                return response;
        }
    }

    /// <summary>Builds error responses for the consumer-group APIs (implemented by part 2 in ErrorResponses.Groups.cs).</summary>
    static partial void BuildGroupResponse(ApiKey key, short version, ReadOnlySpan<byte> body, ErrorCode error, ref Response? response);
}
