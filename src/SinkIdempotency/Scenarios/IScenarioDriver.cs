using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Proxy;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <summary>Performs a run's operations on an environment: topics, produce, offsets, connectors, the target and the worker controls.</summary>
/// <remarks>
/// This is not an environment contract: environments implement <see cref="ISinkEnvironment"/> (and optional-ability interfaces
/// such as <see cref="IWorkerLogReader"/>), and the runner builds the driver over one
/// (<see cref="SinkEnvironmentExtensions.CreateScenarioDriverAsync"/>). Faults act through it
/// (<see cref="Faults.FaultContext.Environment"/>). Operations the environment cannot perform are announced through
/// <see cref="Capabilities"/>; the runner never calls them then, and skips the scenarios that need them with the reason.
/// </remarks>
public interface IScenarioDriver : IAsyncDisposable
{
    /// <summary>Gets a short name for reports (<c>embedded</c>, <c>docker</c>, <c>external</c>).</summary>
    /// <value>A name without secrets.</value>
    string Name { get; }

    /// <summary>Gets what this environment can do beyond the basics.</summary>
    /// <value>The environment's own flags, with what the driver learned from the clusters and the optional abilities the environment implements.</value>
    EnvironmentCapabilities Capabilities { get; }

    /// <summary>Gets the environment the driver runs on, or <see langword="null"/> for a stand-in that runs on none.</summary>
    /// <value>The environment given when the driver was built.</value>
    ISinkEnvironment? Environment => null;

    /// <summary>Explains, beyond the fault's own sentence, why the environment lacks a capability the fault needs, when the environment knows (e.g. its Kafka does not serve an API).</summary>
    /// <param name="fault">The fault that will be skipped.</param>
    /// <returns>A sentence for the skip reason, or <see langword="null"/>.</returns>
    string? ExplainMissingCapabilities(Faults.Fault fault) => null;

    /// <summary>Creates a topic.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="partitions">The number of partitions.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the topic exists.</returns>
    Task CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default);

    /// <summary>Deletes a topic if it exists.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the topic is gone.</returns>
    Task DeleteTopicAsync(string topic, CancellationToken cancellationToken = default);

    /// <summary>Produces a workload, appending each acknowledged record to the ledger as its delivery report arrives.</summary>
    /// <param name="request">The topic and the workload.</param>
    /// <param name="ledger">The ledger to fill.</param>
    /// <param name="cancellationToken">Cancels production.</param>
    /// <returns>A task that completes when every record is acknowledged.</returns>
    Task ProduceAsync(ProduceRequest request, Ledger ledger, CancellationToken cancellationToken = default);

    /// <summary>Reads the log-end offset of every partition of a topic.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The end offset (the offset the next record will get) per partition.</returns>
    Task<IReadOnlyDictionary<SourcePartition, long>> GetEndOffsetsAsync(string topic, CancellationToken cancellationToken = default);

    /// <summary>Reads the committed offsets of a consumer group for one topic.</summary>
    /// <param name="groupId">The group id (<c>connect-&lt;connector&gt;</c> for sinks).</param>
    /// <param name="topic">The topic name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The committed offset per partition; partitions without a commit are left out.</returns>
    Task<IReadOnlyDictionary<SourcePartition, long>> GetCommittedOffsetsAsync(string groupId, string topic, CancellationToken cancellationToken = default);

    /// <summary>Reads which member of a consumer group owns each partition now, by client id.</summary>
    /// <param name="groupId">The group id (<c>connect-&lt;connector&gt;</c> for sinks).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// Partition → client id of its owner (a Connect sink task's consumer is <c>connector-consumer-&lt;connector&gt;-&lt;task&gt;</c>);
    /// empty when the environment cannot tell, in which case a crash window counts every partition of the topic.
    /// </returns>
    Task<IReadOnlyDictionary<SourcePartition, string>> GetPartitionOwnersAsync(string groupId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<SourcePartition, string>>(new Dictionary<SourcePartition, string>());

    /// <summary>Reads the members of a consumer group, each with its member id and assigned partitions, so the runner can tell when the group rebalanced.</summary>
    /// <param name="groupId">The group id (<c>connect-&lt;connector&gt;</c> for sinks).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The members (empty when the group has none), or <see langword="null"/> when the environment cannot tell; then rebalances go unobserved.</returns>
    Task<IReadOnlyList<ConsumerGroupMember>?> DescribeGroupMembersAsync(string groupId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ConsumerGroupMember>?>(null);

    /// <summary>Sets the committed offsets of an empty consumer group, or deletes the group, through the Kafka admin API.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="offsets">The offsets to commit, or <see langword="null"/> to delete the group (consumption restarts from the earliest offset).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the group has the offsets.</returns>
    /// <remarks>Called only when <see cref="Capabilities"/> includes <see cref="EnvironmentCapabilities.ConsumerGroupReset"/>.</remarks>
    Task ResetConsumerGroupAsync(string groupId, IReadOnlyDictionary<SourcePartition, long>? offsets, CancellationToken cancellationToken = default);

    /// <summary>Deletes a topic's records before the given offsets, as retention would (Kafka's DeleteRecords), so they can no longer be consumed.</summary>
    /// <param name="topic">The topic; only a run's own topic.</param>
    /// <param name="offsets">The new log start offset per partition.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The log start offset each partition reports afterwards.</returns>
    /// <remarks>Called only when <see cref="Capabilities"/> includes <see cref="EnvironmentCapabilities.DeleteRecords"/>.</remarks>
    Task<IReadOnlyDictionary<SourcePartition, long>> DeleteRecordsBeforeAsync(string topic, IReadOnlyDictionary<SourcePartition, long> offsets, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Name} environment cannot delete records; check EnvironmentCapabilities.DeleteRecords first.");

    /// <summary>Reads a topic's <c>retention.ms</c> and <c>retention.bytes</c> as the cluster reports them (DescribeConfigs).</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The retention, or <see langword="null"/> when the environment cannot describe topic configs.</returns>
    Task<Assessment.TopicRetention?> GetTopicRetentionAsync(string topic, CancellationToken cancellationToken = default) =>
        Task.FromResult<Assessment.TopicRetention?>(null);

    /// <summary>Reads every record of a dead-letter topic by the source position its context headers name.</summary>
    /// <param name="topic">The dead-letter topic.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The dead-letter records; empty when the topic does not exist.</returns>
    Task<IReadOnlyList<DeadLetterRecord>> ReadDeadLettersAsync(string topic, CancellationToken cancellationToken = default);

    /// <summary>Reads every record of a dead-letter topic as it is stored: key, value, timestamp and headers.</summary>
    /// <param name="topic">The dead-letter topic.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, or <see langword="null"/> when the environment can only read records by their context headers (<see cref="ReadDeadLettersAsync"/>).</returns>
    /// <remarks>Connect writes the <c>__connect.errors.*</c> headers only with <c>errors.deadletterqueue.context.headers.enable=true</c>; without them the runner matches a record by the event id in its original value.</remarks>
    Task<IReadOnlyList<DeadLetterTopicRecord>?> ReadDeadLetterTopicAsync(string topic, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<DeadLetterTopicRecord>?>(null);

    /// <summary>Reads the configuration the Connect cluster holds for a connector (<c>GET /connectors/{name}/config</c>).</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The configuration, or <see langword="null"/> when the environment cannot tell (the runner then trusts what it sent).</returns>
    Task<IReadOnlyDictionary<string, string>?> GetConnectorConfigAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, string>?>(null);

    /// <summary>Gets the target of a kind, opening it (and on the embedded environment starting its server) the first time it is asked for.</summary>
    /// <param name="kind">The kind, as in <see cref="ScenarioTarget.Kind"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The target; the driver disposes it.</returns>
    /// <exception cref="NotSupportedException">The environment does not serve that kind; the message says where it is served.</exception>
    Task<ISinkTarget> GetTargetAsync(string kind, CancellationToken cancellationToken = default);

    /// <summary>Creates a connector.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="config">The full configuration.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when Connect accepted the connector.</returns>
    Task CreateConnectorAsync(string name, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken = default);

    /// <summary>Deletes a connector if it exists.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when Connect accepted the deletion.</returns>
    Task DeleteConnectorAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Reads the status of a connector and its tasks.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status; state <see cref="ConnectorSnapshot.Missing"/> when the connector does not exist.</returns>
    Task<ConnectorSnapshot> GetConnectorAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stops a connector (<c>PUT /connectors/{name}/stop</c>): its tasks shut down and its state becomes <c>STOPPED</c>.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when Connect accepted the request.</returns>
    Task StopConnectorAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Resumes a stopped or paused connector.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when Connect accepted the request.</returns>
    Task ResumeConnectorAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Alters or resets a stopped sink connector's offsets through the offsets API.</summary>
    /// <param name="name">The connector name.</param>
    /// <param name="offsets">The offsets to set (<c>PATCH</c>), or <see langword="null"/> to reset them all (<c>DELETE</c>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the offsets are changed.</returns>
    /// <remarks>Called only when <see cref="Capabilities"/> includes <see cref="EnvironmentCapabilities.OffsetsApi"/>.</remarks>
    Task AlterConnectorOffsetsAsync(string name, IReadOnlyDictionary<SourcePartition, long>? offsets, CancellationToken cancellationToken = default);

    /// <summary>Lists the workers of the Connect cluster, dead ones included.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The workers.</returns>
    Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default);

    /// <summary>Kills a worker without warning: no shutdown hook runs, no offset is committed.</summary>
    /// <param name="workerId">The worker's <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the process is gone.</returns>
    Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary>Starts a worker again after it was killed.</summary>
    /// <param name="workerId">The worker's <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the worker serves its REST API.</returns>
    Task RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary>Starts one more worker in the Connect cluster.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new worker.</returns>
    Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops a worker gracefully and for good, undoing <see cref="AddWorkerAsync"/>.</summary>
    /// <param name="workerId">The worker's <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the worker is gone.</returns>
    /// <remarks>Called only when <see cref="Capabilities"/> includes <see cref="EnvironmentCapabilities.AddWorker"/>.</remarks>
    Task RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Name} environment cannot remove workers; check EnvironmentCapabilities.AddWorker first.");

    /// <summary>Freezes a worker so it runs no code, and waits until what it had already sent is handled.</summary>
    /// <param name="workerId">The worker's <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="drain">The servers whose handling of requests already sent to wait for.</param>
    /// <param name="cancellationToken">Cancels the freeze.</param>
    /// <returns>What the environment confirmed about requests in flight.</returns>
    /// <remarks>Called only when <see cref="Capabilities"/> includes <see cref="EnvironmentCapabilities.FreezeWorker"/>.</remarks>
    Task<WorkerFreeze> FreezeWorkerAsync(string workerId, WorkerDrainScope drain, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Name} environment cannot freeze workers; check EnvironmentCapabilities.FreezeWorker first.");

    /// <summary>Thaws a frozen worker.</summary>
    /// <param name="workerId">The worker's <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the worker runs again.</returns>
    /// <remarks>Called only when <see cref="Capabilities"/> includes <see cref="EnvironmentCapabilities.FreezeWorker"/>.</remarks>
    Task ThawWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Name} environment cannot freeze workers; check EnvironmentCapabilities.FreezeWorker first.");

    /// <summary>Starts a worker on standby: ready, not yet in the Connect cluster.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The standby worker.</returns>
    /// <remarks>Called only when <see cref="Capabilities"/> includes <see cref="EnvironmentCapabilities.StandbyWorker"/>.</remarks>
    Task<WorkerInfo> AddStandbyWorkerAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Name} environment cannot start standby workers; check EnvironmentCapabilities.StandbyWorker first.");

    /// <summary>Lets a standby worker join the Connect cluster.</summary>
    /// <param name="workerId">The worker's <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the worker was told to join.</returns>
    /// <remarks>Called only when <see cref="Capabilities"/> includes <see cref="EnvironmentCapabilities.StandbyWorker"/>.</remarks>
    Task AdmitWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Name} environment cannot start standby workers; check EnvironmentCapabilities.StandbyWorker first.");

    /// <summary>Reads the recent log lines of a worker.</summary>
    /// <param name="workerId">The worker's <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="maxLines">The most lines to return, newest last.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The lines; empty when the environment keeps no logs.</returns>
    Task<IReadOnlyList<string>> ReadWorkerLogAsync(string workerId, int maxLines, CancellationToken cancellationToken = default);
}
