using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Tests.Server;

public sealed class ErrorResponsesTests
{
    public static TheoryData<string> Requests() => ["metadata", "produce", "fetch", "listoffsets", "createtopics", "deletetopics", "describeconfigs", "initproducerid"];

    [Theory]
    [MemberData(nameof(Requests))]
    public void Build_CoreApi_CarriesTheErrorAndEncodes(string name)
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
        var reader = new KafkaReader(frame.AsSpan(4));
        var key = (ApiKey)reader.ReadInt16();
        var version = reader.ReadInt16();
        reader.ReadInt32();
        reader.ReadNullableString();

        var response = ErrorResponses.Build(key, version, frame.AsSpan(4 + reader.Position), ErrorCode.NotLeaderOrFollower);

        response.Should().NotBeNull();
        response!.TopLevelError.Should().Be(ErrorCode.NotLeaderOrFollower);
        var writer = new KafkaWriter();
        response.Write(writer, version);
        writer.Length.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Build_ProduceWithAcksZero_ReturnsNoResponse()
    {
        var frame = RequestFrames.Produce(1, 0, "a", 0, TestBatches.Build(1));

        ErrorResponses.Build(ApiKey.Produce, 7, frame.AsSpan(4 + 2 + 2 + 4 + 2 + "raw-test".Length), ErrorCode.NotLeaderOrFollower).Should().BeNull();
    }
}
