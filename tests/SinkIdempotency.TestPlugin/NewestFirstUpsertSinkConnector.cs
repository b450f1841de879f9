using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A sink that upserts by key but writes each batch newest record first (see <see cref="NewestFirstUpsertSinkTask"/>): the harness must grade it red with stale keys.</summary>
public sealed class NewestFirstUpsertSinkConnector : TableSinkConnector
{
    public override SinkTask CreateTask() => new NewestFirstUpsertSinkTask();
}
