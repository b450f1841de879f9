using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Converters;
using SinkIdempotency.Worker.Runtime;
using SinkIdempotency.Worker.Tests.Support;

namespace SinkIdempotency.Worker.Tests.Runtime;

public sealed class WorkerSinkTaskTests
{
    private static readonly TopicPartition Orders0 = new("orders", 0);
    private static readonly TopicPartition Orders1 = new("orders", 1);

    [Fact]
    public async Task Iteration_FlushIntervalElapsed_PreCommitsThenCommitsLastProcessedPlusOne()
    {
        using var h = Harness.Start(flushIntervalMs: 5_000);
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 5);

        (await Eventually.TrueAsync(() => h.Events.IndexOf(e => e.StartsWith("commitAsync", StringComparison.Ordinal)) >= 0)).Should().BeTrue(h.Events.ToString());

        var events = h.Events.Snapshot();
        var put = h.Events.IndexOf(e => e == "put:5:0-4");
        var preCommit = h.Events.IndexOf(e => e == "preCommit:orders-0=5");
        var commit = h.Events.IndexOf(e => e.StartsWith("commitAsync:orders-0=5@", StringComparison.Ordinal));
        put.Should().BeGreaterThan(-1);
        preCommit.Should().BeGreaterThan(put);
        commit.Should().BeGreaterThan(preCommit);
        long.Parse(events[commit].Split('@')[1]).Should().BeGreaterThanOrEqualTo(h.StartMs + 5_000, "offsets are committed only when offset.flush.interval.ms has passed");
        events.Take(commit).Should().NotContain(e => e.StartsWith("commit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Iteration_NothingConsumedSinceLastCommit_SkipsCommit()
    {
        using var h = Harness.Start(flushIntervalMs: 1_000);
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 2);
        (await Eventually.TrueAsync(() => h.Consumer.Committed(Orders0) == 2)).Should().BeTrue(h.Events.ToString());
        var advanced = h.Time.GetUtcNow().ToUnixTimeMilliseconds();

        (await Eventually.TrueAsync(() => h.Time.GetUtcNow().ToUnixTimeMilliseconds() > advanced + 5_000)).Should().BeTrue();

        h.Events.Snapshot().Count(e => e.StartsWith("commit", StringComparison.Ordinal)).Should().Be(1, "an unchanged position is not committed again");
    }

    [Fact]
    public async Task OnPartitionsRevoked_AfterPut_PreCommitsClosesThenCommitsSynchronously()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000);
        h.Consumer.AssignOnNextPoll(Orders0, Orders1);
        h.Consumer.Append(Orders0, 3);
        (await Eventually.TrueAsync(() => h.Events.IndexOf(e => e == "put:3:0-2") >= 0)).Should().BeTrue(h.Events.ToString());

        h.Consumer.RevokeOnNextPoll(Orders0);

        (await Eventually.TrueAsync(() => h.Events.IndexOf(e => e.StartsWith("commitSync", StringComparison.Ordinal)) >= 0)).Should().BeTrue(h.Events.ToString());
        var preCommit = h.Events.IndexOf(e => e == "preCommit:orders-0=3");
        var close = h.Events.IndexOf(e => e == "close:orders-0");
        var commit = h.Events.IndexOf(e => e.StartsWith("commitSync:orders-0=3@", StringComparison.Ordinal));
        preCommit.Should().BeGreaterThan(-1, h.Events.ToString());
        close.Should().BeGreaterThan(preCommit);
        commit.Should().BeGreaterThan(close);
        h.Consumer.Committed(Orders1).Should().BeNull("only the revoked partition is committed");
    }

    [Fact]
    public async Task OnPartitionsLost_AfterPut_ClosesWithoutCommit()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000);
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 3);
        (await Eventually.TrueAsync(() => h.Events.IndexOf(e => e == "put:3:0-2") >= 0)).Should().BeTrue(h.Events.ToString());

        h.Consumer.LoseOnNextPoll(Orders0);
        (await Eventually.TrueAsync(() => h.Events.IndexOf(e => e == "close:orders-0") >= 0)).Should().BeTrue(h.Events.ToString());
        h.Runtime.Stop();
        h.Join();

        h.Consumer.Committed(Orders0).Should().BeNull();
        h.Events.Snapshot().Should().NotContain(e => e.StartsWith("commit", StringComparison.Ordinal) || e.StartsWith("preCommit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_AfterPut_FinalPreCommitCloseCommitSyncThenStopsTaskAndConsumer()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000);
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 4);
        (await Eventually.TrueAsync(() => h.Events.IndexOf(e => e == "put:4:0-3") >= 0)).Should().BeTrue(h.Events.ToString());

        h.Runtime.Stop();
        h.Join();

        var events = h.Events.Snapshot().Where(e => !e.StartsWith("poll", StringComparison.Ordinal)).SkipWhile(e => e != "put:4:0-3").Skip(1).ToList();
        events.Should().HaveCount(6, h.Events.ToString());
        events[0].Should().Be("preCommit:orders-0=4");
        events[1].Should().Be("close:orders-0");
        events[2].Should().StartWith("commitSync:orders-0=4@");
        events[3].Should().Be("stop");
        events[4].Should().Be("consumer.close");
        events[5].Should().Be("status:UNASSIGNED");
    }

    [Fact]
    public async Task Cancel_AfterPut_SkipsFinalCommit()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000);
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 4);
        (await Eventually.TrueAsync(() => h.Events.IndexOf(e => e == "put:4:0-3") >= 0)).Should().BeTrue(h.Events.ToString());

        h.Runtime.Cancel();
        h.Join();

        h.Consumer.Committed(Orders0).Should().BeNull("a cancelled task skips its final offset commit");
        h.Events.Snapshot().Should().NotContain("status:UNASSIGNED", "a cancelled task reports nothing more");
    }

    [Fact]
    public async Task Put_RetriableException_PausesRedeliversSameBatchAndStaysRunning()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000);
        h.Task.RetriableFailures = 2;
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 3);

        (await Eventually.TrueAsync(() => h.Task.Written.Count == 3)).Should().BeTrue(h.Events.ToString());

        h.Events.Snapshot().Count(e => e == "put:3:0-2").Should().Be(3, "the same batch is delivered again after each RetriableException");
        h.Listener.LastState.Should().Be("RUNNING");
        h.Task.Written.Select(r => r.KafkaOffset).Should().Equal(0, 1, 2);
        (await Eventually.TrueAsync(() => h.Consumer.Paused.Count == 0)).Should().BeTrue("partitions resume once the batch succeeds");
        h.Consumer.Append(Orders0, 1);
        (await Eventually.TrueAsync(() => h.Task.Written.Count == 4)).Should().BeTrue(h.Events.ToString());
    }

    [Fact]
    public async Task Put_RetriableException_WaitsContextTimeoutBeforeRedelivery()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000);
        h.Task.RetriableFailures = 1;
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 1);

        (await Eventually.TrueAsync(() => h.Task.Written.Count == 1)).Should().BeTrue(h.Events.ToString());

        h.Consumer.Paused.Should().BeEmpty();
        h.Events.Snapshot().Count(e => e == "put:1:0-0").Should().Be(2);
    }

    [Fact]
    public async Task Put_NonRetriableException_FailsWithTraceAndCommitsOnlyEarlierBatches()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000);
        h.Task.FatalAtOffset = 3;
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 3);
        (await Eventually.TrueAsync(() => h.Task.Written.Count == 3)).Should().BeTrue(h.Events.ToString());

        h.Consumer.Append(Orders0, 2);
        h.Join();

        h.Listener.LastState.Should().Be("FAILED");
        h.Listener.Failure.Should().BeOfType<ConnectException>().Which.Message.Should().Be("Exiting WorkerSinkTask due to unrecoverable exception.");
        var trace = JavaTrace.Format(h.Listener.Failure!);
        trace.Should().StartWith("org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.\n\tat ");
        trace.Should().Contain("Caused by: System.InvalidOperationException: poison record at offset 3");
        h.Consumer.Committed(Orders0).Should().Be(3, "the final commit covers earlier successful puts, never the failed batch");
        h.Consumer.Closed.Should().BeTrue("the consumer leaves the group so partitions move to other tasks");
    }

    [Fact]
    public async Task CommitOffsets_PreCommitThrows_RewindsToLastCommittedAndRedelivers()
    {
        using var h = Harness.Start(flushIntervalMs: 1_000);
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 3);
        (await Eventually.TrueAsync(() => h.Consumer.Committed(Orders0) == 3)).Should().BeTrue(h.Events.ToString());

        // The first preCommit that sees the two new records fails. Failing "the next preCommit" instead would race the
        // task thread: a timed commit could run before those records are polled, and then nothing would be redelivered.
        var failures = 0;
        h.Task.PreCommitOverride = offsets => offsets[Orders0] == 5 && Interlocked.Exchange(ref failures, 1) == 0
            ? throw new InvalidOperationException("flush failed")
            : offsets;
        h.Consumer.Append(Orders0, 2);
        (await Eventually.TrueAsync(() => h.Events.IndexOf(e => e == "seek:orders-0:3") >= 0)).Should().BeTrue(h.Events.ToString());

        (await Eventually.TrueAsync(() => h.Events.Snapshot().Count(e => e == "put:2:3-4") == 2)).Should().BeTrue(h.Events.ToString());
        (await Eventually.TrueAsync(() => h.Consumer.Committed(Orders0) == 5)).Should().BeTrue(h.Events.ToString());
        h.Task.Written.Count(r => r.KafkaOffset == 3).Should().Be(2, "records put after the last commit are delivered again after a failed preCommit");
    }

    [Fact]
    public async Task CommitOffsets_TaskOffsetAheadOfConsumption_IsIgnored()
    {
        using var h = Harness.Start(flushIntervalMs: 1_000);
        h.Task.PreCommitOverride = _ => new Dictionary<TopicPartition, long> { [Orders0] = 100 };
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 3);
        (await Eventually.TrueAsync(() => h.Events.Snapshot().Count(e => e.StartsWith("preCommit", StringComparison.Ordinal)) >= 2)).Should().BeTrue(h.Events.ToString());

        h.Consumer.Committed(Orders0).Should().BeNull("an offset the consumer has not reached is never committed");
    }

    [Fact]
    public async Task CommitOffsets_TaskReturnsSmallerOffset_CommitsWhatTheTaskReturned()
    {
        using var h = Harness.Start(flushIntervalMs: 1_000);
        h.Task.PreCommitOverride = _ => new Dictionary<TopicPartition, long> { [Orders0] = 2 };
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 5);

        (await Eventually.TrueAsync(() => h.Consumer.Committed(Orders0) == 2)).Should().BeTrue(h.Events.ToString());
    }

    [Fact]
    public async Task TransitionTo_PausedThenStarted_StopsDeliveryThenResumes()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000);
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 2);
        (await Eventually.TrueAsync(() => h.Task.Written.Count == 2)).Should().BeTrue(h.Events.ToString());

        h.Runtime.TransitionTo(TargetState.Paused);
        (await Eventually.TrueAsync(() => h.Listener.LastState == "PAUSED")).Should().BeTrue(h.Events.ToString());
        (await Eventually.TrueAsync(() => h.Consumer.Committed(Orders0) == 2)).Should().BeTrue("pausing requests a commit");
        h.Consumer.Append(Orders0, 3);
        var pausedAt = h.Time.GetUtcNow();
        (await Eventually.TrueAsync(() => h.Time.GetUtcNow() > pausedAt.AddSeconds(2))).Should().BeTrue();
        h.Task.Written.Should().HaveCount(2, "a paused task gets no records");

        h.Runtime.TransitionTo(TargetState.Started);

        (await Eventually.TrueAsync(() => h.Task.Written.Count == 5)).Should().BeTrue(h.Events.ToString());
        h.Listener.LastState.Should().Be("RUNNING");
    }

    [Fact]
    public async Task Run_InitiallyPaused_ReportsPausedAndDoesNotStartTask()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000, initialState: TargetState.Paused);

        (await Eventually.TrueAsync(() => h.Listener.LastState == "PAUSED")).Should().BeTrue();
        h.Events.Snapshot().Should().NotContain("start");

        h.Runtime.TransitionTo(TargetState.Started);
        (await Eventually.TrueAsync(() => h.Listener.LastState == "RUNNING")).Should().BeTrue(h.Events.ToString());
        h.Events.Snapshot().Should().Contain("start");
    }

    [Fact]
    public async Task ConvertMessages_PlainJsonWithSchemasEnabled_FailsTaskWithToleranceExceeded()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000, valueConverter: new JsonConverter(schemasEnabled: true));
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.AppendRaw(Orders0, """{"schema":{"type":"int32"},"payload":7}"""u8.ToArray());
        h.Consumer.AppendRaw(Orders0, """{"id":1}"""u8.ToArray());

        h.Join();

        h.Listener.LastState.Should().Be("FAILED");
        h.Listener.Failure.Should().BeOfType<ConnectException>().Which.Message.Should().StartWith("Tolerance exceeded in error handler\n")
            .And.EndWith($"where consumed record is {{topic='{Orders0.Topic}', partition={Orders0.Partition}, offset=1}}.", "the trace names the record, so a reader knows which one stopped the task");
        h.Listener.Failure!.InnerException.Should().BeOfType<DataException>().Which.Message.Should().Be(JsonConverter.EnvelopeRequiredMessage);
        h.Task.Written.Should().BeEmpty("the good record was in the same poll as the poison one");
    }

    [Fact]
    public async Task OnPartitionsAssigned_OpenBeforeFirstPut()
    {
        using var h = Harness.Start(flushIntervalMs: 600_000);
        h.Consumer.AssignOnNextPoll(Orders0);
        h.Consumer.Append(Orders0, 1);

        (await Eventually.TrueAsync(() => h.Task.Written.Count == 1)).Should().BeTrue(h.Events.ToString());

        h.Events.IndexOf(e => e == "open:orders-0").Should().BeLessThan(h.Events.IndexOf(e => e.StartsWith("put:", StringComparison.Ordinal)));
        h.Events.IndexOf(e => e == "start").Should().BeLessThan(h.Events.IndexOf(e => e == "open:orders-0"));
    }

    private sealed class Harness : IDisposable
    {
        private Thread? _thread;

        private Harness()
        {
        }

        public EventLog Events { get; } = new();

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        public FakeSinkConsumer Consumer { get; private set; } = null!;

        public RecordingSinkTask Task { get; private set; } = null!;

        public RecordingStatusListener Listener { get; private set; } = null!;

        public WorkerSinkTask Runtime { get; private set; } = null!;

        public long StartMs { get; private set; }

        public static Harness Start(long flushIntervalMs, TargetState initialState = TargetState.Started, IRecordConverter? valueConverter = null)
        {
            var h = new Harness();
            h.StartMs = h.Time.GetUtcNow().ToUnixTimeMilliseconds();
            h.Consumer = new FakeSinkConsumer(h.Time, h.Events);
            h.Task = new RecordingSinkTask(h.Events);
            h.Listener = new RecordingStatusListener(h.Events);
            h.Runtime = new WorkerSinkTask(
                new ConnectorTaskId("orders-sink", 0),
                h.Task,
                new Dictionary<string, string> { ["topics"] = "orders" },
                new StringConverter(),
                valueConverter ?? new JsonConverter(schemasEnabled: false),
                h.Consumer,
                h.Listener,
                initialState,
                new WorkerSinkTaskSettings { OffsetFlushIntervalMs = flushIntervalMs },
                h.Time,
                NullLogger.Instance);
            h._thread = new Thread(h.Runtime.Run) { IsBackground = true };
            h._thread.Start();
            return h;
        }

        public void Join() => _thread!.Join(TimeSpan.FromSeconds(30)).Should().BeTrue("the task thread ends");

        public void Dispose()
        {
            Runtime.Stop();
            _thread?.Join(TimeSpan.FromSeconds(30));
        }
    }
}
