using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A sink whose task 1 fails on its first records while the other tasks write (see <see cref="OneTaskFailsSinkTask"/>): the harness must grade it red and name task 1.</summary>
public sealed class OneTaskFailsSinkConnector : TableSinkConnector
{
    /// <summary>The task setting that carries the task's number.</summary>
    internal const string TaskIndexKey = "test.task.index";

    public override SinkTask CreateTask() => new OneTaskFailsSinkTask();

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        [.. base.TaskConfigs(maxTasks).Select((config, index) => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(config)
        {
            [TaskIndexKey] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })];
}
