using System.Collections.Concurrent;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Log;

/// <summary>All topics of the broker: lookup without locks, create and delete under one registry lock.</summary>
internal sealed class TopicRegistry(KafkaBrokerOptions options, TimeProvider timeProvider)
{
    /// <summary>Kafka's longest legal topic name.</summary>
    public const int MaxNameLength = 249;

    private readonly ConcurrentDictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

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
            return _topics.GetOrAdd(name, n => new Topic(n, options.DefaultPartitions, new Dictionary<string, string?>()));
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

        foreach (var (key, value) in configs)
        {
            if (TopicConfigs.Validate(key, value) is { } configError)
            {
                return (ErrorCode.InvalidConfig, configError);
            }
        }

        lock (_lock)
        {
            if (_topics.ContainsKey(name))
            {
                return (ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
            }

            if (!validateOnly)
            {
                _topics[name] = new Topic(name, partitions, configs);
            }
        }

        return (ErrorCode.None, null);
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
}
