using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Tests.Server;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Faults;

/// <summary>
/// <see cref="BrokerFaultTiming"/> on the wire: a fault that acts after handling leaves the request applied
/// whatever the client hears; one that acts before handling leaves no trace. CreateTopics is the probe
/// because its effect (the topic) is visible at once.
/// </summary>
public sealed class FaultTimingTests
{
    [Theory]
    [InlineData(BrokerFaultTiming.BeforeHandling, false)]
    [InlineData(BrokerFaultTiming.AfterHandling, true)]
    public async Task RespondWithError_Timing_DecidesWhetherTheRequestWasApplied(BrokerFaultTiming timing, bool applied)
    {
        await using var broker = await StartBrokerAsync();
        var exchanges = new ConcurrentQueue<BrokerExchange>();
        using var observer = broker.ObserveRequests(exchanges.Enqueue);
        using var fault = broker.InjectFault(new BrokerFaultOptions { ApiKey = ApiKey.CreateTopics, Timing = timing, Error = ErrorCode.RequestTimedOut });
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.CreateTopics(5, "probe", 1));
        var (_, body) = (await client.ReadAsync())!.Value;

        CreateTopicsError(body).Should().Be(ErrorCode.RequestTimedOut);
        (broker.GetTopic("probe") is not null).Should().Be(applied);
        exchanges.Should().ContainSingle().Which.Should().Match<BrokerExchange>(e => e.Handled == applied && e.Fault == fault && e.ErrorCode == ErrorCode.RequestTimedOut);
    }

    [Fact]
    public async Task DropConnection_AfterHandling_ClosesWithoutAnswerButKeepsTheEffect()
    {
        await using var broker = await StartBrokerAsync();
        var exchanges = new ConcurrentQueue<BrokerExchange>();
        using var observer = broker.ObserveRequests(exchanges.Enqueue);
        using var fault = broker.InjectFault(new BrokerFaultOptions { ApiKey = ApiKey.CreateTopics, Timing = BrokerFaultTiming.AfterHandling, Action = BrokerFaultAction.DropConnection });
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.CreateTopics(5, "probe", 1));

        (await client.IsClosedByBrokerAsync()).Should().BeTrue();
        broker.GetTopic("probe").Should().NotBeNull();
        exchanges.Should().ContainSingle().Which.Should().Match<BrokerExchange>(e => e.Handled && e.ConnectionDropped && e.ErrorCode == null);
    }

    [Fact]
    public async Task Hold_AfterHandling_AppliesAtOnceAndAnswersOnlyWhenReleased()
    {
        await using var broker = await StartBrokerAsync();
        var fault = broker.InjectFault(new BrokerFaultOptions { ApiKey = ApiKey.CreateTopics, Timing = BrokerFaultTiming.AfterHandling, Action = BrokerFaultAction.Hold });
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.CreateTopics(5, "probe", 1));
        var answer = client.ReadAsync();
        (await EventuallyAsync(() => broker.GetTopic("probe") is not null)).Should().BeTrue("the request is applied before its answer is held");
        await Task.Delay(200, TestContext.Current.CancellationToken);
        answer.IsCompleted.Should().BeFalse("the answer is held until the fault is released");

        fault.Release();

        CreateTopicsError((await answer)!.Value.Body).Should().Be(ErrorCode.None);
    }

    [Fact]
    public async Task Hold_BeforeHandling_AppliesOnlyWhenReleasedAndReportsHowLongItWaited()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { TimeProvider = time });
        var exchanges = new ConcurrentQueue<BrokerExchange>();
        using var observer = broker.ObserveRequests(exchanges.Enqueue);
        var fault = broker.InjectFault(new BrokerFaultOptions { ApiKey = ApiKey.CreateTopics, Action = BrokerFaultAction.Hold, Times = 0 });
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.CreateTopics(5, "probe", 1));
        var answer = client.ReadAsync();
        await fault.WaitForMatchesAsync(1, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(42));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        broker.GetTopic("probe").Should().BeNull("a request held before handling has no effect yet");
        answer.IsCompleted.Should().BeFalse();

        fault.Release();

        CreateTopicsError((await answer)!.Value.Body).Should().Be(ErrorCode.None);
        broker.GetTopic("probe").Should().NotBeNull();
        (await EventuallyAsync(() => !exchanges.IsEmpty)).Should().BeTrue();
        exchanges.Should().ContainSingle().Which.Should().Match<BrokerExchange>(e => e.Handled && e.Fault == fault && e.CompletedAt - e.ReceivedAt == TimeSpan.FromSeconds(42));
    }

    [Fact]
    public async Task Delay_AfterHandling_AnswersAfterTheDelayOnTheBrokerClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { TimeProvider = time });
        using var fault = broker.InjectFault(new BrokerFaultOptions
        {
            ApiKey = ApiKey.CreateTopics,
            Timing = BrokerFaultTiming.AfterHandling,
            Action = BrokerFaultAction.Delay,
            Delay = TimeSpan.FromSeconds(30),
        });
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.CreateTopics(5, "probe", 1));
        var answer = client.ReadAsync();
        (await EventuallyAsync(() => broker.GetTopic("probe") is not null)).Should().BeTrue();
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        answer.IsCompleted.Should().BeFalse("29 of the 30 seconds have passed on the broker clock");

        // The delay starts just after the handler ran; keep the fake clock moving until it has been seen to expire.
        (await EventuallyAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return answer.IsCompleted;
        })).Should().BeTrue();
        CreateTopicsError((await answer)!.Value.Body).Should().Be(ErrorCode.None);
    }

    [Fact]
    public void Validate_UndefinedTiming_ThrowsNamingIt()
    {
        var act = new BrokerFaultOptions { Timing = (BrokerFaultTiming)7 }.Validate;

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("Timing");
    }

    /// <summary>Reads the one topic's error from a CreateTopics v4 response body.</summary>
    private static ErrorCode CreateTopicsError(byte[] body)
    {
        var reader = new KafkaReader(body);
        reader.ReadInt32();
        reader.ReadArrayLength().Should().Be(1);
        reader.ReadString().Should().Be("probe");
        return (ErrorCode)reader.ReadInt16();
    }
}
