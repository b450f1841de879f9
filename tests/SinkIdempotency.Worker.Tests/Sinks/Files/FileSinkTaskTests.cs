using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Sink;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.Files;
using SinkIdempotency.Worker.Sinks.Files;

namespace SinkIdempotency.Worker.Tests.Sinks.Files;

public sealed class FileSinkTaskTests : IDisposable
{
    private static readonly TopicPartition Orders0 = new("orders", 0);
    private readonly string _directory = Directory.CreateTempSubdirectory("file-sink-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<FileSinkTask> StartAsync(string mode, int flushSize = 3, TimeProvider? time = null)
    {
        var config = new Dictionary<string, string>
        {
            ["file.directory"] = _directory,
            ["file.mode"] = mode,
            ["flush.size"] = flushSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["rotate.schedule.interval.ms"] = time is null ? "0" : "1000",
        };
        var task = new FileSinkTask(NullLogger.Instance, time);
        task.Initialize(new SinkTestContext(config) { Assignment = [Orders0] });
        await task.StartAsync(config, CancellationToken.None);
        await task.OpenAsync([Orders0], CancellationToken.None);
        return task;
    }

    private async Task<List<TargetRow>> RowsAsync()
    {
        var rows = new List<TargetRow>();
        await foreach (var row in new FileSinkReader(_directory).ReadRowsAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    private List<byte[]> Snapshot() => [.. Directory.GetFiles(_directory).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    private static Task<IReadOnlyDictionary<TopicPartition, long>> PreCommitAsync(FileSinkTask task, long current) =>
        task.PreCommitAsync(new Dictionary<TopicPartition, long> { [Orders0] = current }, CancellationToken.None);

    [Fact]
    public async Task Deterministic_SevenRecordsFlushSizeThree_TwoObjectsAndCommitAtBoundary()
    {
        var task = await StartAsync("deterministic");

        await task.PutAsync(SinkTestContext.Records("orders", 0, 0, 7), CancellationToken.None);
        var committable = await PreCommitAsync(task, 7);

        Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Should().Equal("orders+0+0000000000.jsonl", "orders+0+0000000003.jsonl");
        committable.Should().Equal(new Dictionary<TopicPartition, long> { [Orders0] = 6 });
        (await RowsAsync()).Select(r => r.Source!.Value.Offset).Should().Equal(0, 1, 2, 3, 4, 5);
        await task.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Deterministic_NothingFinished_PreCommitOptsOut()
    {
        var task = await StartAsync("deterministic", flushSize: 10);

        await task.PutAsync(SinkTestContext.Records("orders", 0, 0, 4), CancellationToken.None);

        (await PreCommitAsync(task, 4)).Should().BeEmpty();
        Directory.GetFiles(_directory).Should().BeEmpty();
    }

    [Fact]
    public async Task Deterministic_ReplayFromStart_RewritesIdenticalObjects()
    {
        var first = await StartAsync("deterministic");
        await first.PutAsync(SinkTestContext.Records("orders", 0, 0, 6), CancellationToken.None);
        await first.StopAsync(CancellationToken.None);
        var before = Directory.GetFiles(_directory).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();

        var replay = await StartAsync("deterministic");
        await replay.PutAsync(SinkTestContext.Records("orders", 0, 0, 6), CancellationToken.None);
        await replay.StopAsync(CancellationToken.None);

        Directory.GetFiles(_directory).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        (await RowsAsync()).Should().HaveCount(6).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Deterministic_ReplayFromInsideAnObject_RewritesTheSameObjects()
    {
        var first = await StartAsync("deterministic");
        await first.PutAsync(SinkTestContext.Records("orders", 0, 0, 6), CancellationToken.None);
        await first.StopAsync(CancellationToken.None);
        var before = Snapshot();

        var replay = await StartAsync("deterministic");
        await replay.PutAsync(SinkTestContext.Records("orders", 0, 4, 6), CancellationToken.None);
        var committed = await PreCommitAsync(replay, 6);
        await replay.StopAsync(CancellationToken.None);

        Snapshot().Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        committed[Orders0].Should().Be(6);
        (await RowsAsync()).Select(r => r.Source!.Value.Offset).Should().Equal(0, 1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task Deterministic_ReplayAfterATimedRotation_KeepsTheOriginalCuts()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var first = await StartAsync("deterministic", time: time);
        await first.PutAsync(SinkTestContext.Records("orders", 0, 0, 2), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        (await PreCommitAsync(first, 2))[Orders0].Should().Be(2, "the open object was finished by the schedule");
        await first.PutAsync(SinkTestContext.Records("orders", 0, 2, 5), CancellationToken.None);
        await first.StopAsync(CancellationToken.None);
        var before = Snapshot();

        var replay = await StartAsync("deterministic", time: time);
        await replay.PutAsync(SinkTestContext.Records("orders", 0, 0, 5), CancellationToken.None);
        await replay.StopAsync(CancellationToken.None);

        Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).Should().Equal("orders+0+0000000000.jsonl", "orders+0+0000000002.jsonl");
        Snapshot().Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        (await RowsAsync()).Should().HaveCount(5).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Deterministic_NewObjectBeforeAnExistingOne_EndsWhereTheExistingOneStarts()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var first = await StartAsync("deterministic", flushSize: 100, time: time);
        await first.PutAsync(SinkTestContext.Records("orders", 0, 4, 6), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        await PreCommitAsync(first, 6);
        await first.StopAsync(CancellationToken.None);

        var earlier = await StartAsync("deterministic", flushSize: 100, time: time);
        await earlier.PutAsync(SinkTestContext.Records("orders", 0, 0, 6), CancellationToken.None);
        await earlier.StopAsync(CancellationToken.None);

        (await RowsAsync()).Select(r => r.Source!.Value.Offset).Should().Equal(0, 1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task Deterministic_RedeliveryInsideOpenObject_ObjectHoldsEachRecordOnce()
    {
        var task = await StartAsync("deterministic");

        await task.PutAsync(SinkTestContext.Records("orders", 0, 0, 2), CancellationToken.None);
        await task.PutAsync(SinkTestContext.Records("orders", 0, 0, 3), CancellationToken.None);

        (await RowsAsync()).Select(r => r.Source!.Value.Offset).Should().Equal(0, 1, 2);
    }

    [Fact]
    public async Task Deterministic_CloseWithOpenObject_OpenRecordsNotWrittenAndNotCommitted()
    {
        var task = await StartAsync("deterministic");
        await task.PutAsync(SinkTestContext.Records("orders", 0, 0, 5), CancellationToken.None);

        var committable = await PreCommitAsync(task, 5);
        await task.CloseAsync([Orders0], CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        committable[Orders0].Should().Be(3);
        (await RowsAsync()).Select(r => r.Source!.Value.Offset).Should().Equal(0, 1, 2);
        Directory.GetFiles(_directory, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public async Task Append_SameRecordsTwice_EveryLineTwiceAndCommitsCurrentOffsets()
    {
        var task = await StartAsync("append");

        await task.PutAsync(SinkTestContext.Records("orders", 0, 0, 3), CancellationToken.None);
        await task.PutAsync(SinkTestContext.Records("orders", 0, 0, 3), CancellationToken.None);
        var committable = await PreCommitAsync(task, 3);
        await task.StopAsync(CancellationToken.None);

        committable.Should().Equal(new Dictionary<TopicPartition, long> { [Orders0] = 3 });
        Directory.GetFiles(_directory).Select(Path.GetFileName).Should().Equal("orders+0.jsonl");
        var rows = await RowsAsync();
        rows.Should().HaveCount(6);
        rows.GroupBy(r => r.EventId).Should().OnlyContain(g => g.Count() == 2);
    }

    [Fact]
    public async Task Append_AfterPutBeforeCommit_LinesAlreadyInFile()
    {
        var task = await StartAsync("append");

        await task.PutAsync(SinkTestContext.Records("orders", 0, 0, 4), CancellationToken.None);

        (await RowsAsync()).Should().HaveCount(4);
        await task.StopAsync(CancellationToken.None);
    }
}
