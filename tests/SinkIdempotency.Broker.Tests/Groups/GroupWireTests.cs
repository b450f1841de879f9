using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Tests.Server;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Groups;

/// <summary>Group APIs over the wire with hand-built frames (what librdkafka never sends on its own).</summary>
public sealed class GroupWireTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OffsetCommit_StaleGeneration_IsRejectedWithIllegalGeneration()
    {
        await using var broker = await StartBrokerAsync();
        broker.CreateTopic("wire", 1);
        await using var a = await RawKafkaClient.ConnectAsync(broker);
        await using var b = await RawKafkaClient.ConnectAsync(broker);

        var first = await JoinAsync(a, string.Empty, 1);
        first.Generation.Should().Be(1);
        (await SyncAsync(a, first.MemberId, 1, 2)).Should().Be(ErrorCode.None);
        (await CommitAsync(a, first.MemberId, 1, 10, 3)).Should().Be(ErrorCode.None);

        // b joins (parked), a rejoins, both land in generation 2.
        await b.SendAsync(JoinFrame(string.Empty, 4));
        await Eventually(() => broker.GetGroup("wire-group")!.State == Broker.Groups.BrokerGroupState.PreparingRebalance);
        var rejoin = await JoinAsync(a, first.MemberId, 5);
        var bJoin = ParseJoin((await b.ReadAsync(Wait))!.Value.Body);
        rejoin.Generation.Should().Be(2);
        bJoin.Generation.Should().Be(2);

        var stale = await CommitAsync(a, first.MemberId, 1, 20, 6);
        var unknown = await CommitAsync(a, "nobody", 2, 20, 7);

        stale.Should().Be(ErrorCode.IllegalGeneration);
        unknown.Should().Be(ErrorCode.UnknownMemberId);
        broker.GetCommittedOffset("wire-group", "wire", 0)!.Offset.Should().Be(10, "rejected commits change nothing");
    }

    [Fact]
    public async Task JoinGroup_V4WithoutMemberId_AnswersMemberIdRequiredOverTheWire()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(JoinFrame(string.Empty, 1, version: 4));
        var reader = new KafkaReader((await client.ReadAsync(Wait))!.Value.Body);

        reader.ReadInt32().Should().Be(0);
        ((ErrorCode)reader.ReadInt16()).Should().Be(ErrorCode.MemberIdRequired);
        reader.ReadInt32().Should().Be(-1);
        reader.ReadString().Should().BeEmpty();
        reader.ReadString().Should().BeEmpty();
        reader.ReadString().Should().StartWith("raw-test-");
        reader.ReadArrayLength().Should().Be(0);
        reader.End.Should().BeTrue();
    }

    private static async Task Eventually(Func<bool> condition) =>
        (await EventuallyAsync(condition)).Should().BeTrue();

    private static byte[] JoinFrame(string memberId, int correlation, short version = 3) =>
        RequestFrames.Frame(ApiKey.JoinGroup, version, correlation, w =>
        {
            w.WriteString("wire-group");
            w.WriteInt32(10_000);
            w.WriteInt32(30_000);
            w.WriteString(memberId);
            w.WriteString("consumer");
            w.WriteArrayLength(1);
            w.WriteString("range");
            w.WriteBytes([0, 0, 0, 0, 0, 1, 0, 4, (byte)'w', (byte)'i', (byte)'r', (byte)'e', 0xFF, 0xFF, 0xFF, 0xFF]);
        });

    private static async Task<(int Generation, string MemberId)> JoinAsync(RawKafkaClient client, string memberId, int correlation)
    {
        await client.SendAsync(JoinFrame(memberId, correlation));
        return ParseJoin((await client.ReadAsync(Wait))!.Value.Body);
    }

    private static (int Generation, string MemberId) ParseJoin(byte[] body)
    {
        var reader = new KafkaReader(body);
        _ = reader.ReadInt32();
        ((ErrorCode)reader.ReadInt16()).Should().Be(ErrorCode.None);
        var generation = reader.ReadInt32();
        _ = reader.ReadString();
        _ = reader.ReadString();
        return (generation, reader.ReadString());
    }

    private static async Task<ErrorCode> SyncAsync(RawKafkaClient client, string memberId, int generation, int correlation)
    {
        await client.SendAsync(RequestFrames.Frame(ApiKey.SyncGroup, 1, correlation, w =>
        {
            w.WriteString("wire-group");
            w.WriteInt32(generation);
            w.WriteString(memberId);
            w.WriteArrayLength(1);
            w.WriteString(memberId);
            w.WriteBytes([1, 2, 3]);
        }));
        var reader = new KafkaReader((await client.ReadAsync(Wait))!.Value.Body);
        _ = reader.ReadInt32();
        var error = (ErrorCode)reader.ReadInt16();
        if (error == ErrorCode.None)
        {
            reader.ReadBytes(out _).ToArray().Should().Equal(1, 2, 3);
        }

        return error;
    }

    private static async Task<ErrorCode> CommitAsync(RawKafkaClient client, string memberId, int generation, long offset, int correlation)
    {
        await client.SendAsync(RequestFrames.Frame(ApiKey.OffsetCommit, 7, correlation, w =>
        {
            w.WriteString("wire-group");
            w.WriteInt32(generation);
            w.WriteString(memberId);
            w.WriteNullableString(null);
            w.WriteArrayLength(1);
            w.WriteString("wire");
            w.WriteArrayLength(1);
            w.WriteInt32(0);
            w.WriteInt64(offset);
            w.WriteInt32(-1);
            w.WriteNullableString(null);
        }));
        var reader = new KafkaReader((await client.ReadAsync(Wait))!.Value.Body);
        _ = reader.ReadInt32();
        reader.ReadArrayLength().Should().Be(1);
        reader.ReadString().Should().Be("wire");
        reader.ReadArrayLength().Should().Be(1);
        reader.ReadInt32().Should().Be(0);
        return (ErrorCode)reader.ReadInt16();
    }
}
