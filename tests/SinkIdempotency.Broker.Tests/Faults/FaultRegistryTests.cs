using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests.Faults;

public sealed class FaultRegistryTests
{
    private static BrokerRequest Request(ApiKey key, string? group = null, string? client = "c", params string[] topics) =>
        new(key, 0, 1, client, 1, group, null, null, topics, []);

    [Fact]
    public void Options_Defaults_AreOneShotErrorOfUnknownServerError()
    {
        var options = new BrokerFaultOptions();

        options.ApiKey.Should().BeNull();
        options.GroupId.Should().BeNull();
        options.Topic.Should().BeNull();
        options.ClientId.Should().BeNull();
        options.Predicate.Should().BeNull();
        options.Action.Should().Be(BrokerFaultAction.RespondWithError);
        options.Error.Should().Be(ErrorCode.UnknownServerError);
        options.Delay.Should().Be(TimeSpan.FromSeconds(1));
        options.Times.Should().Be(1);
    }

    [Fact]
    public void Add_InvalidOptions_ThrowsWithTheFieldToChange()
    {
        var registry = new FaultRegistry();

        registry.Invoking(r => r.Add(new BrokerFaultOptions { Times = -1 }))
            .Should().Throw<ArgumentException>().WithMessage("Times must be 0 (sticky) or positive, not -1.*");
        registry.Invoking(r => r.Add(new BrokerFaultOptions { Error = ErrorCode.None }))
            .Should().Throw<ArgumentException>().WithMessage("RespondWithError needs an error code other than None; set Error.*");
        registry.Invoking(r => r.Add(new BrokerFaultOptions { ApiKey = ApiKey.ApiVersions }))
            .Should().Throw<ArgumentException>().WithMessage("ApiVersions cannot be intercepted*");
    }

    [Fact]
    public void Match_OneShot_ActsOnceThenPasses()
    {
        var registry = new FaultRegistry();
        var fault = registry.Add(new BrokerFaultOptions { ApiKey = ApiKey.OffsetCommit, Error = ErrorCode.RebalanceInProgress });

        registry.Match(Request(ApiKey.OffsetCommit)).Should().BeSameAs(fault);
        registry.Match(Request(ApiKey.OffsetCommit)).Should().BeNull();
        fault.MatchCount.Should().Be(1);
        fault.IsRemoved.Should().BeTrue();
        registry.IsActive.Should().BeFalse();
    }

    [Fact]
    public void Match_Sticky_ActsUntilRemoved()
    {
        var registry = new FaultRegistry();
        var fault = registry.Add(new BrokerFaultOptions { ApiKey = ApiKey.Heartbeat, Times = 0 });

        for (var i = 0; i < 5; i++)
        {
            registry.Match(Request(ApiKey.Heartbeat)).Should().BeSameAs(fault);
        }

        fault.Dispose();
        registry.Match(Request(ApiKey.Heartbeat)).Should().BeNull();
        fault.MatchCount.Should().Be(5);
    }

    [Fact]
    public void Match_Filters_AllMustMatch()
    {
        var registry = new FaultRegistry();
        var fault = registry.Add(new BrokerFaultOptions
        {
            ApiKey = ApiKey.Produce,
            Topic = "orders",
            ClientId = "producer-1",
            Predicate = r => r.ApiVersion == 0,
            Times = 0,
        });

        registry.Match(Request(ApiKey.Fetch, client: "producer-1", topics: "orders")).Should().BeNull();
        registry.Match(Request(ApiKey.Produce, client: "producer-2", topics: "orders")).Should().BeNull();
        registry.Match(Request(ApiKey.Produce, client: "producer-1", topics: "other")).Should().BeNull();
        registry.Match(Request(ApiKey.Produce, client: "producer-1", topics: ["other", "orders"])).Should().BeSameAs(fault);
    }

    [Fact]
    public void Match_GroupFilter_IgnoresOtherGroups()
    {
        var registry = new FaultRegistry();
        registry.Add(new BrokerFaultOptions { GroupId = "connect-x" });

        registry.Match(Request(ApiKey.JoinGroup, group: "connect-y")).Should().BeNull();
        registry.Match(Request(ApiKey.JoinGroup, group: "connect-x")).Should().NotBeNull();
    }

    [Fact]
    public void Match_TwoFaults_FirstInjectedWins()
    {
        var registry = new FaultRegistry();
        var first = registry.Add(new BrokerFaultOptions { ApiKey = ApiKey.JoinGroup });
        var second = registry.Add(new BrokerFaultOptions { ApiKey = ApiKey.JoinGroup });

        registry.Match(Request(ApiKey.JoinGroup)).Should().BeSameAs(first);
        registry.Match(Request(ApiKey.JoinGroup)).Should().BeSameAs(second);
    }

    [Fact]
    public async Task Hold_Release_CompletesTheReleaseTask()
    {
        var registry = new FaultRegistry();
        var fault = registry.Add(new BrokerFaultOptions { ApiKey = ApiKey.JoinGroup, Action = BrokerFaultAction.Hold });
        registry.Match(Request(ApiKey.JoinGroup)).Should().BeSameAs(fault);
        var waiting = fault.WaitForMatchesAsync(1, TestContext.Current.CancellationToken);

        fault.ReleasedTask.IsCompleted.Should().BeFalse();
        fault.Release();

        await waiting.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await fault.ReleasedTask.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        registry.Match(Request(ApiKey.JoinGroup)).Should().BeNull();
    }

    [Fact]
    public void Observe_Dispose_StopsNotifications()
    {
        var registry = new FaultRegistry();
        var seen = new List<BrokerExchange>();
        var subscription = registry.AddObserver(seen.Add);
        var exchange = new BrokerExchange(Request(ApiKey.Heartbeat), ErrorCode.None, [], false, null, DateTimeOffset.UnixEpoch, true, DateTimeOffset.UnixEpoch);

        registry.Notify(exchange);
        subscription.Dispose();
        registry.Notify(exchange);

        seen.Should().ContainSingle();
        registry.HasObservers.Should().BeFalse();
    }
}
