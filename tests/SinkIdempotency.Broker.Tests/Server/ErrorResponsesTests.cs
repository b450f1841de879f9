using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests.Server;

public sealed class ErrorResponsesTests
{
    public static TheoryData<string> Requests() => ["metadata", "produce", "fetch", "listoffsets", "createtopics", "deletetopics", "describeconfigs", "initproducerid"];

    [Theory]
    [MemberData(nameof(Requests))]
    public void ErrorResponse_CoreApi_CarriesTheErrorAndEncodes(string name)
    {
        var frame = name switch
        {
            "metadata" => RequestFrames.Metadata(1, "a", "b"),
            "produce" => RequestFrames.Produce(1, -1, "a", 3, TestBatches.Build(1)),
            "fetch" => RequestFrames.Fetch(1, "a", 2, 10, 100),
            "listoffsets" => RequestFrames.ListOffsets(1, "a", -1),
            "createtopics" => RequestFrames.CreateTopics(1, "a", 2),
            "deletetopics" => RequestFrames.DeleteTopics(1, "a"),
            "describeconfigs" => RequestFrames.DescribeConfigs(1, "a"),
            _ => RequestFrames.InitProducerId(1),
        };
        var request = DecodedRequests.ReadFrame(frame, out var version);

        var response = request.ErrorResponse(ErrorCode.NotLeaderOrFollower, DecodedRequests.State);

        response.Should().NotBeNull();
        response!.TopLevelError.Should().Be(ErrorCode.NotLeaderOrFollower);
        var writer = new KafkaWriter();
        response.Write(writer, version);
        writer.Length.Should().BeGreaterThan(0);
    }

    [Fact]
    public void ErrorResponse_ProduceWithAcksZero_ReturnsNoResponse()
    {
        var frame = RequestFrames.Produce(1, 0, "a", 0, TestBatches.Build(1));

        DecodedRequests.ReadFrame(frame, out _).ErrorResponse(ErrorCode.NotLeaderOrFollower, DecodedRequests.State).Should().BeNull();
    }
}
