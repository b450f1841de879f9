using SinkIdempotency.Kafka;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Scenarios;

/// <summary>Checks which consumer-group changes <see cref="RebalanceWatch"/> puts down to the harness and which it reports as unplanned.</summary>
public sealed class RebalanceWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    [Fact]
    public void Observe_JoinAfterDeploy_IsPlannedAndTheGroupThenSettles()
    {
        var watch = new RebalanceWatch(Grace, partitions: 2);
        watch.OnHarnessAction(Start, "deploy");

        watch.Observe(At(0), []).Should().BeNull("the first sample only sets the baseline");
        var join = watch.Observe(At(1), [Member("m1", 0, 1)]);
        Settle(watch, from: 2, [Member("m1", 0, 1)]);

        join.Should().NotBeNull();
        join!.Planned.Should().BeTrue();
        join.Cause.Should().Be("deploy");
        join.Before.Should().BeEmpty();
        join.After.Should().Equal(new Dictionary<string, string> { ["m1"] = "connector-consumer-c-0@/127.0.0.1: t-0, t-1" });
        watch.Expected.Should().BeNull("the group settled after the change the deployment made");
    }

    [Fact]
    public void Observe_GroupAlreadyCompleteAtTheFirstSample_SettlesWithoutWaitingForTheGracePeriod()
    {
        var watch = new RebalanceWatch(Grace, partitions: 2);
        watch.OnHarnessAction(Start, "deploy");

        watch.Observe(At(0), [Member("m1", 0, 1)]);
        Settle(watch, from: 1, [Member("m1", 0, 1)]);
        var eviction = watch.Observe(At(5), [Member("m2", 0, 1)]);

        eviction!.Planned.Should().BeFalse("the deployment's join was over before sampling began, and the group had settled");
    }

    [Fact]
    public void Observe_NewMemberIdWhileNothingHappened_IsUnplanned()
    {
        var watch = Settled();

        var change = watch.Observe(At(10), [Member("m2", 0, 1)]);

        change!.Planned.Should().BeFalse("no harness action explains an evicted member joining again");
        change.Cause.Should().BeNull();
        change.Before.Keys.Should().Equal("m1");
        change.After.Keys.Should().Equal("m2");
    }

    [Fact]
    public void Observe_KillWhoseSessionExpiresLaterThanTheSamples_StaysPlannedUntilTheGroupSettlesAgain()
    {
        var watch = Settled();
        watch.OnHarnessAction(At(10), "fault kill-worker");

        // The dead member keeps its partitions until its session times out: many unchanged samples, all partitions owned.
        Settle(watch, from: 11, [Member("m1", 0, 1)], samples: 10);
        var evicted = watch.Observe(At(27), []);
        var rejoined = watch.Observe(At(29), [Member("m2", 0, 1)]);
        Settle(watch, from: 30, [Member("m2", 0, 1)]);
        var later = watch.Observe(At(40), [Member("m3", 0, 1)]);

        evicted!.Planned.Should().BeTrue();
        evicted.Cause.Should().Be("fault kill-worker");
        rejoined!.Planned.Should().BeTrue("the group had not settled since the kill: its partitions were unowned");
        later!.Planned.Should().BeFalse("once settled after the kill, the next change is nobody's doing");
    }

    [Fact]
    public void Observe_ActionThatNeverTouchesTheGroup_ExplainsChangesOnlyForTheGracePeriod()
    {
        var watch = Settled();
        watch.OnHarnessAction(At(10), "fault withheld");

        Settle(watch, from: 11, [Member("m1", 0, 1)], samples: 5);
        var within = watch.Observe(At(20), [Member("m2", 0, 1)]);
        Settle(watch, from: 21, [Member("m2", 0, 1)]);
        watch.OnHarnessAction(At(30), "fault withheld");
        Settle(watch, from: 31, [Member("m2", 0, 1)], samples: 25);
        var after = watch.Observe(At(60), [Member("m3", 0, 1)]);

        within!.Planned.Should().BeTrue("inside the grace period any change may be the action's");
        after!.Planned.Should().BeFalse("the grace period passed with the group unchanged and settled");
    }

    [Fact]
    public void Observe_PartitionsMovingBetweenTheSameMembers_IsAChange()
    {
        var watch = new RebalanceWatch(Grace, partitions: 2);
        watch.Observe(At(0), [Member("m1", 0), Member("m2", 1)]);
        Settle(watch, from: 1, [Member("m1", 0), Member("m2", 1)]);

        var change = watch.Observe(At(10), [Member("m1", 1), Member("m2", 0)]);

        change!.Planned.Should().BeFalse();
    }

    [Fact]
    public void Observe_GroupWithUnownedPartitions_NeverSettles()
    {
        var watch = new RebalanceWatch(Grace, partitions: 2);
        watch.OnHarnessAction(Start, "fault stop-connector");
        watch.Observe(At(0), [Member("m1", 0, 1)]);
        watch.Observe(At(1), []);

        Settle(watch, from: 2, [], samples: 40);

        watch.Expected.Should().Be("fault stop-connector", "a stopped connector's group owns nothing until the connector resumes");
        watch.Observe(At(50), [Member("m9", 0, 1)])!.Planned.Should().BeTrue();
    }

    private static RebalanceWatch Settled()
    {
        var watch = new RebalanceWatch(Grace, partitions: 2);
        watch.OnHarnessAction(Start, "deploy");
        watch.Observe(At(0), []);
        watch.Observe(At(1), [Member("m1", 0, 1)]);
        Settle(watch, from: 2, [Member("m1", 0, 1)]);
        watch.Expected.Should().BeNull();
        return watch;
    }

    private static void Settle(RebalanceWatch watch, int from, IReadOnlyList<ConsumerGroupMember> members, int samples = RebalanceWatch.SettledSamples)
    {
        for (var i = 0; i < samples; i++)
        {
            watch.Observe(At(from + i), members).Should().BeNull();
        }
    }

    private static DateTimeOffset At(int seconds) => Start.AddSeconds(seconds);

    private static ConsumerGroupMember Member(string id, params int[] partitions) =>
        new(id, "connector-consumer-c-0", "/127.0.0.1", [.. partitions.Select(p => new SourcePartition("t", p))]);
}
