using Confluent.Kafka;
using Confluent.Kafka.Admin;
using TopicPartition = SinkIdempotency.Sink.TopicPartition;
using SinkIdempotency.Worker.Rest;
using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Cluster;

/// <summary>The offsets API (KIP-875) for sink connectors: offsets live in the connector's consumer group and are read, altered or reset through the admin client.</summary>
internal sealed partial class Herder
{
    public const string AlteredMessage = "The offsets for this connector have been altered successfully";
    public const string FrameworkAlteredMessage = "The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.";
    public const string FrameworkResetMessage = "The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.";

    private static readonly TimeSpan AdminTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Gets the consumer group of a connector's tasks: <c>connect-NAME</c>, or <c>consumer.override.group.id</c>.</summary>
    public static string ConsumerGroupId(string connector, IReadOnlyDictionary<string, string> config) =>
        config.TryGetValue("consumer.override.group.id", out var group) && !string.IsNullOrWhiteSpace(group) ? group.Trim() : "connect-" + connector;

    /// <summary>Reads the committed offsets of the connector's consumer group, in any connector state.</summary>
    public async Task<IReadOnlyList<(TopicPartition Partition, long Offset)>> ConnectorOffsetsAsync(string name, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var definition = _clusterLog.Read(s => s.Connectors.GetValueOrDefault(name)) ?? throw ConnectRestException.NotFound($"Connector {name} not found");
        var group = ConsumerGroupId(name, definition.Config);
        using var admin = CreateOffsetsAdmin(name);
        try
        {
            var results = await admin.ListConsumerGroupOffsetsAsync(
                    [new ConsumerGroupTopicPartitions(group, null)],
                    new ListConsumerGroupOffsetsOptions { RequestTimeout = AdminTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return results.SelectMany(r => r.Partitions)
                .Where(p => p.Offset.Value >= 0)
                .Select(p => (new TopicPartition(p.Topic, p.Partition.Value), p.Offset.Value))
                .OrderBy(p => p.Item1.Topic, StringComparer.Ordinal).ThenBy(p => p.Item1.Partition)
                .ToList();
        }
        catch (KafkaException e)
        {
            throw new ConnectRestException(500, $"Failed to retrieve consumer group offsets for sink connector {name}: {e.Message}");
        }
    }

    /// <summary>Alters (a value) or resets (<see langword="null"/>) the committed offsets of some partitions; the connector must be STOPPED.</summary>
    public async Task<string> AlterConnectorOffsetsAsync(string name, Func<IReadOnlyDictionary<TopicPartition, long?>> parseOffsets, CancellationToken cancellationToken)
    {
        var definition = await CheckOffsetsModifiableAsync(name, cancellationToken).ConfigureAwait(false);
        var offsets = parseOffsets();
        var group = ConsumerGroupId(name, definition.Config);
        using var admin = CreateOffsetsAdmin(name);
        try
        {
            var toAlter = offsets.Where(e => e.Value is not null).Select(e => new TopicPartitionOffset(e.Key.Topic, e.Key.Partition, e.Value!.Value)).ToList();
            if (toAlter.Count > 0)
            {
                await admin.AlterConsumerGroupOffsetsAsync(
                        [new ConsumerGroupTopicPartitionOffsets(group, toAlter)],
                        new AlterConsumerGroupOffsetsOptions { RequestTimeout = AdminTimeout })
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            var toReset = offsets.Where(e => e.Value is null).Select(e => new Confluent.Kafka.TopicPartition(e.Key.Topic, e.Key.Partition)).ToList();
            if (toReset.Count > 0)
            {
                await admin.DeleteConsumerGroupOffsetsAsync(group, toReset, new DeleteConsumerGroupOffsetsOptions { RequestTimeout = AdminTimeout })
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (KafkaException e) when (IsZombieError(e))
        {
            throw new ConnectRestException(500, $"Failed to alter consumer group offsets for connector {name} either because its tasks haven't stopped completely yet or the connector was resumed before the request to alter its offsets could be successfully completed. If the connector is in a stopped state, this operation can be safely retried. If it doesn't eventually succeed, the Connect cluster may need to be restarted to get rid of the zombie sink tasks.");
        }
        catch (KafkaException e)
        {
            throw new ConnectRestException(500, $"Failed to alter consumer group offsets for connector {name}: {e.Message}");
        }

        // The sink contract has no alterOffsets hook, so like a Java sink that keeps SinkConnector's default (false), the framework-managed message applies.
        return FrameworkAlteredMessage;
    }

    /// <summary>Resets the connector's offsets by deleting its consumer group; the connector must be STOPPED.</summary>
    public async Task<string> ResetConnectorOffsetsAsync(string name, CancellationToken cancellationToken)
    {
        var definition = await CheckOffsetsModifiableAsync(name, cancellationToken).ConfigureAwait(false);
        var group = ConsumerGroupId(name, definition.Config);
        using var admin = CreateOffsetsAdmin(name);
        try
        {
            await admin.DeleteGroupsAsync([group], new DeleteGroupsOptions { RequestTimeout = AdminTimeout }).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DeleteGroupsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.GroupIdNotFound))
        {
            // Resetting is idempotent: a group already deleted (or never created) is reset.
        }
        catch (DeleteGroupsException e) when (e.Results.Any(r => r.Error.Code == ErrorCode.NonEmptyGroup))
        {
            throw new ConnectRestException(500, $"Failed to reset consumer group offsets for connector {name} either because its tasks haven't stopped completely yet or the connector was resumed before the request to reset its offsets could be successfully completed. If the connector is in a stopped state, this operation can be safely retried. If it doesn't eventually succeed, the Connect cluster may need to be restarted to get rid of the zombie sink tasks.");
        }
        catch (KafkaException e)
        {
            throw new ConnectRestException(500, $"Failed to reset consumer group offsets for sink connector {name}: {e.Message}");
        }

        return FrameworkResetMessage;
    }

    private static bool IsZombieError(KafkaException e) =>
        e.Error.Code is ErrorCode.UnknownMemberId or ErrorCode.GroupSubscribedToTopic or ErrorCode.NonEmptyGroup
        || (e is AlterConsumerGroupOffsetsException alter && alter.Results.SelectMany(r => r.Partitions).Any(p => p.Error.Code is ErrorCode.UnknownMemberId))
        || (e is DeleteConsumerGroupOffsetsException delete && (delete.Error.Code is ErrorCode.GroupSubscribedToTopic || delete.Result.Partitions.Any(p => p.Error.Code is ErrorCode.GroupSubscribedToTopic)));

    private async Task<ConnectorDefinition> CheckOffsetsModifiableAsync(string name, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var (definition, state) = _clusterLog.Read(s => (s.Connectors.GetValueOrDefault(name), s.TargetStateOf(name)));
        if (definition is null)
        {
            throw ConnectRestException.NotFound($"Connector {name} not found");
        }

        if (state != TargetState.Stopped)
        {
            throw ConnectRestException.BadRequest($"Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/{name}/stop' endpoint");
        }

        return definition;
    }

    private IAdminClient CreateOffsetsAdmin(string name) =>
        new AdminClientBuilder(ClientConfigs.Admin(_options, "connector-worker-adminclient-" + name)).Build();
}
