using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Tests.Sinks;

/// <summary>A sink task context for driving a sink directly: records errant reports and timeouts, assigns what it is told.</summary>
internal sealed class SinkTestContext(IReadOnlyDictionary<string, string> configs, bool withReporter = false) : ISinkTaskContext, IErrantRecordReporter
{
    public List<(SinkRecord Record, Exception Error)> Reported { get; } = [];

    public IReadOnlyDictionary<string, string> Configs { get; } = configs;

    public IReadOnlyCollection<TopicPartition> Assignment { get; set; } = [];

    public IErrantRecordReporter? ErrantRecordReporter => withReporter ? this : null;

    public void Offset(TopicPartition partition, long offset)
    {
    }

    public void Timeout(TimeSpan timeout)
    {
    }

    public void Pause(params TopicPartition[] partitions)
    {
    }

    public void Resume(params TopicPartition[] partitions)
    {
    }

    public void RequestCommit()
    {
    }

    public Task ReportAsync(SinkRecord record, Exception error)
    {
        Reported.Add((record, error));
        return Task.CompletedTask;
    }

    public static SinkRecord Record(string topic, int partition, long offset, string? eventId = null) =>
        new(topic, partition, null, JsonValue.Create("k" + offset), null,
            new JsonObject { ["event_id"] = eventId ?? $"{topic}-{partition}-{offset}", ["key"] = "k" + offset, ["version"] = 1, ["seq"] = offset, ["payload"] = "p" + offset },
            offset);

    public static IReadOnlyList<SinkRecord> Records(string topic, int partition, long from, long toExclusive) =>
        [.. Enumerable.Range((int)from, (int)(toExclusive - from)).Select(o => Record(topic, partition, o))];
}
