using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Tests.Scenarios.Support;

/// <summary>An environment that only tells where its parts came from; the simulated driver does everything else.</summary>
internal sealed class ProvenanceEnvironment(IReadOnlyList<string> notes, IReadOnlyList<string> warnings) : ISinkEnvironment, IEnvironmentProvenance
{
    public IReadOnlyList<string> ProvenanceNotes => notes;

    public IReadOnlyList<string> ProvenanceWarnings => warnings;

    public string Name => "provenance";

    public EnvironmentCapabilities Capabilities => EnvironmentCapabilities.None;

    public KafkaEndpoint Kafka => throw new NotSupportedException();

    public IReadOnlyList<Uri> ConnectUrls => [];

    public TargetEndpoint Target => throw new NotSupportedException();

    public TargetFaultProxy? TargetProxy => null;

    public Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<WorkerInfo> RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
