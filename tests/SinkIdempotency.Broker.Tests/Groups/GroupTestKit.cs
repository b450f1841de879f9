using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SinkIdempotency.Broker.Groups;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Tests.Groups;

/// <summary>Drives a <see cref="GroupCoordinator"/> directly, with a fake clock.</summary>
internal sealed class GroupTestKit
{
    public const string Group = "g";

    public GroupTestKit(TimeSpan? initialDelay = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Coordinator = new GroupCoordinator(new GroupCoordinatorOptions
        {
            TimeProvider = Time,
            InitialRebalanceDelay = initialDelay ?? TimeSpan.Zero,
        });
    }

    public FakeTimeProvider Time { get; }

    public GroupCoordinator Coordinator { get; }

    public ConsumerGroupSnapshot Snapshot => Coordinator.Find(Group)!.Snapshot();

    /// <summary>Builds ConsumerProtocolSubscription v0 bytes for the given topics.</summary>
    public static byte[] Subscription(params string[] topics)
    {
        var writer = new KafkaWriter();
        writer.WriteInt16((short)0);
        writer.WriteArrayLength(topics.Length);
        foreach (var topic in topics)
        {
            writer.WriteString(topic);
        }

        writer.WriteBytes([]);
        return writer.WrittenSpan.ToArray();
    }

    public static JoinGroupRequest JoinRequest(
        string memberId = "",
        int sessionMs = 10_000,
        int rebalanceMs = 30_000,
        string[]? protocols = null,
        byte[]? metadata = null,
        string protocolType = "consumer") =>
        new(Group, sessionMs, rebalanceMs, memberId, null, protocolType,
            (protocols ?? ["range"]).Select(p => new JoinGroupProtocol(p, metadata ?? Subscription("t"))).ToList());

    public Task<JoinGroupResponse> Join(string memberId = "", short version = 3, string clientId = "c", int sessionMs = 10_000, int rebalanceMs = 30_000, string[]? protocols = null, byte[]? metadata = null) =>
        Coordinator.JoinGroupAsync(JoinRequest(memberId, sessionMs, rebalanceMs, protocols, metadata), version, clientId, "/127.0.0.1");

    public Task<SyncGroupResponse> Sync(string memberId, int generation, params (string Member, string Assignment)[] assignments) =>
        Coordinator.SyncGroupAsync(new SyncGroupRequest(Group, generation, memberId, null,
            assignments.Select(a => new SyncGroupAssignment(a.Member, Encoding.UTF8.GetBytes(a.Assignment))).ToList()));

    public ErrorCode Heartbeat(string memberId, int generation) =>
        Coordinator.Heartbeat(new HeartbeatRequest(Group, generation, memberId, null)).ErrorCode;

    public ErrorCode Leave(string memberId) =>
        Coordinator.LeaveGroup(new LeaveGroupRequest(Group, memberId)).ErrorCode;

    public ErrorCode Commit(string memberId, int generation, long offset, string? metadata = null, string topic = "t", int partition = 0) =>
        Coordinator.CommitOffsets(new OffsetCommitRequest(Group, generation, memberId, null, -1,
            [new OffsetCommitRequestTopic(topic, [new OffsetCommitRequestPartition(partition, offset, -1, metadata)])]))
            .Topics[0].Partitions[0].ErrorCode;

    public OffsetFetchResponsePartition Fetch(string topic = "t", int partition = 0) =>
        Coordinator.FetchOffsets(new OffsetFetchRequest(Group, [new OffsetFetchRequestTopic(topic, [partition])])).Topics[0].Partitions[0];

    /// <summary>Joins one member and completes generation 1 with it as leader; returns its member id.</summary>
    public async Task<string> StableSingleMemberAsync()
    {
        var join = await Join();
        join.ErrorCode.Should().Be(ErrorCode.None);
        var sync = await Sync(join.MemberId, join.GenerationId, (join.MemberId, "a"));
        sync.ErrorCode.Should().Be(ErrorCode.None);
        return join.MemberId;
    }

    public static string AssignmentText(SyncGroupResponse response) => Encoding.UTF8.GetString(response.Assignment);

    public static int ReadInt32(byte[] bytes, int offset) => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
}
