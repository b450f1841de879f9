using System.Collections.Concurrent;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Log;

/// <summary>All topics of the broker: lookup without locks, create and delete under one registry lock.</summary>
internal sealed class TopicRegistry(KafkaBrokerOptions options, TimeProvider timeProvider)
{
    /// <summary>Kafka's longest legal topic name.</summary>
    public const int MaxNameLength = 249;

    private readonly IReadOnlyDictionary<string, string> _brokerLogConfigs = options.StaticLogConfigs();
    private readonly ConcurrentDictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<BrokerLogDeletion> _deletions = [];

    /// <summary>Raised (outside the registry lock) after a topic was deleted, so the group coordinator can drop its committed offsets.</summary>
    public event Action<string>? TopicDeleted;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public int Count => _topics.Count;

    public bool TryGet(string name, out Topic topic) => _topics.TryGetValue(name, out topic!);

    /// <summary>Gets a snapshot of all topics, ordered by name.</summary>
    public IReadOnlyList<Topic> Snapshot() => [.. _topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>Returns the topic, creating it with the default partition count when auto-creation is on and the name is legal.</summary>
    public Topic? GetOrAutoCreate(string name)
    {
        if (_topics.TryGetValue(name, out var topic))
        {
            return topic;
        }

        if (!options.AutoCreateTopics || ValidateName(name) is not null)
        {
            return null;
        }

        lock (_lock)
        {
            return _topics.GetOrAdd(name, n => NewTopic(n, options.DefaultPartitions, new Dictionary<string, string?>()));
        }
    }

    /// <summary>Creates a topic (or only validates the request); partitions -1 means the broker default.</summary>
    public (ErrorCode Error, string? Message) Create(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string?> configs, bool validateOnly)
    {
        if (ValidateName(name) is { } nameError)
        {
            return (ErrorCode.InvalidTopicException, nameError);
        }

        if (partitions == -1)
        {
            partitions = options.DefaultPartitions;
        }

        if (partitions <= 0)
        {
            return (ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.");
        }

        if (partitions > options.MaxPartitionsPerTopic)
        {
            return (ErrorCode.InvalidPartitions, $"Number of partitions {partitions} exceeds this broker's limit of {options.MaxPartitionsPerTopic}.");
        }

        if (replicationFactor != -1 && replicationFactor <= 0)
        {
            return (ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0, or -1 to use the default value.");
        }

        if (replicationFactor > 1)
        {
            return (ErrorCode.InvalidReplicationFactor, $"Unable to replicate the partition {replicationFactor} time(s): The target replication factor of {replicationFactor} cannot be reached because only 1 broker(s) are registered.");
        }

        if (ValidateConfigs(configs) is { } configError)
        {
            return (ErrorCode.InvalidConfig, configError);
        }

        lock (_lock)
        {
            if (_topics.ContainsKey(name))
            {
                return (ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
            }

            if (!validateOnly)
            {
                _topics[name] = NewTopic(name, partitions, configs);
            }
        }

        return (ErrorCode.None, null);
    }

    /// <summary>Gets every deletion since the broker started (retention passes and DeleteRecords), oldest first.</summary>
    public IReadOnlyList<BrokerLogDeletion> Deletions
    {
        get
        {
            lock (_deletions)
            {
                return [.. _deletions];
            }
        }
    }

    /// <summary>Applies retention to every partition now (Kafka's periodic "delete old segments" pass).</summary>
    /// <returns>What was deleted, one entry per partition and rule.</returns>
    public IReadOnlyList<BrokerLogDeletion> ApplyRetention()
    {
        var deletions = new List<BrokerLogDeletion>();
        foreach (var topic in Snapshot())
        {
            foreach (var partition in topic.Partitions)
            {
                partition.ApplyRetention(deletions);
            }
        }

        Record(deletions);
        return deletions;
    }

    /// <summary>Moves a partition's log start offset forward (DeleteRecords) and records the deletion.</summary>
    /// <returns>What was deleted, or null when the log start offset was already at or past <paramref name="offset"/>.</returns>
    public BrokerLogDeletion? DeleteRecords(PartitionLog log, long offset)
    {
        var deletion = log.AdvanceLogStart(offset);
        if (deletion is not null)
        {
            Record([deletion]);
        }

        return deletion;
    }

    /// <summary>Deletes a topic and its data; pending fetches on it are woken and see it gone.</summary>
    public ErrorCode Delete(string name)
    {
        Topic? removed;
        lock (_lock)
        {
            _topics.TryRemove(name, out removed);
        }

        if (removed is null)
        {
            return ErrorCode.UnknownTopicOrPartition;
        }

        foreach (var partition in removed.Partitions)
        {
            partition.MarkDeleted();
        }

        TopicDeleted?.Invoke(name);
        return ErrorCode.None;
    }

    /// <summary>Checks topic config overrides; returns the first problem as Kafka words it, or null.</summary>
    public static string? ValidateConfigs(IEnumerable<KeyValuePair<string, string?>> configs)
    {
        foreach (var (key, value) in configs)
        {
            if (TopicConfigs.Validate(key, value) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>
    /// Changes a topic's configs under Kafka's rules: incrementally (SET, DELETE, and APPEND/SUBTRACT on list
    /// configs) or, for the legacy AlterConfigs, by replacing every override with the SETs given.
    /// </summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="operations">The changes.</param>
    /// <param name="replaceAll">True for AlterConfigs: overrides not in <paramref name="operations"/> return to their defaults.</param>
    /// <param name="validateOnly">True to check the changes without applying them.</param>
    /// <returns>The error (None when applied or valid) and Kafka's message for it.</returns>
    public (ErrorCode Error, string? Message) AlterConfigs(string topic, IReadOnlyList<ConfigOperation> operations, bool replaceAll, bool validateOnly)
    {
        if (operations.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            return (ErrorCode.InvalidRequest, $"Error due to duplicate config keys: {duplicate.Key}");
        }

        lock (_lock)
        {
            if (!_topics.TryGetValue(topic, out var t))
            {
                return (ErrorCode.UnknownTopicOrPartition, $"The topic '{topic}' does not exist.");
            }

            var overrides = replaceAll ? new Dictionary<string, string?>(StringComparer.Ordinal) : new Dictionary<string, string?>(t.Configs, StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                if (!TopicConfigs.Defaults.ContainsKey(operation.Name))
                {
                    return (ErrorCode.InvalidConfig, $"Unknown topic config name: {operation.Name}");
                }

                switch (operation.Operation)
                {
                    case ConfigOperationType.Set:
                        overrides[operation.Name] = operation.Value;
                        break;
                    case ConfigOperationType.Delete:
                        overrides.Remove(operation.Name);
                        break;
                    case ConfigOperationType.Append or ConfigOperationType.Subtract when !TopicConfigs.ListConfigs.Contains(operation.Name):
                        return (ErrorCode.InvalidConfig, $"Config value {(operation.Operation == ConfigOperationType.Append ? "append" : "subtract")} is not allowed for config key: {operation.Name}");
                    case ConfigOperationType.Append or ConfigOperationType.Subtract:
                        var current = (t.Config.Effective(operation.Name) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                        var items = (operation.Value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        var changed = operation.Operation == ConfigOperationType.Append
                            ? current.Concat(items.Where(i => !current.Contains(i, StringComparer.Ordinal)))
                            : current.Where(c => !items.Contains(c, StringComparer.Ordinal));
                        overrides[operation.Name] = string.Join(',', changed);
                        break;
                    default:
                        return (ErrorCode.InvalidRequest, $"Unknown alter configs operation type {(sbyte)operation.Operation} for config {operation.Name}");
                }
            }

            if (ValidateConfigs(overrides) is { } error)
            {
                return (ErrorCode.InvalidConfig, error);
            }

            if (!validateOnly)
            {
                t.SetOverrides(overrides);
            }
        }

        return (ErrorCode.None, null);
    }

    /// <summary>Returns a config set with the given overrides and this broker's log defaults.</summary>
    public TopicConfigSet Configure(IReadOnlyDictionary<string, string?> overrides) => TopicConfigSet.Create(overrides, _brokerLogConfigs);

    /// <summary>Checks a topic name the way Kafka's <c>Topic.validate</c> does; returns the problem, or null.</summary>
    public static string? ValidateName(string name)
    {
        if (name.Length == 0)
        {
            return "Topic name is illegal, it can't be empty";
        }

        if (name is "." or "..")
        {
            return $"Topic name cannot be \".\" or \"..\"";
        }

        if (name.Length > MaxNameLength)
        {
            return $"Topic name is illegal, it can't be longer than {MaxNameLength} characters, topic name: {name}";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }

        return null;
    }

    private Topic NewTopic(string name, int partitions, IReadOnlyDictionary<string, string?> configs) => new(name, partitions, Configure(configs), TimeProvider);

    private void Record(IReadOnlyCollection<BrokerLogDeletion> deletions)
    {
        if (deletions.Count == 0)
        {
            return;
        }

        lock (_deletions)
        {
            _deletions.AddRange(deletions);
        }
    }
}
