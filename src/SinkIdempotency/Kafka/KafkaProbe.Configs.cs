using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SinkIdempotency.Assessment;

namespace SinkIdempotency.Kafka;

/// <content>Topic configs: the retention an assessment grades, read through DescribeConfigs.</content>
public sealed partial class KafkaProbe
{
    /// <summary>Reads a topic's <c>retention.ms</c>, <c>retention.bytes</c> and partition count as the cluster reports them (DescribeConfigs, DescribeTopics).</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The topic's retention.</returns>
    /// <exception cref="InvalidOperationException">The cluster could not describe the topic's configs, or left out one of the two retention configs, or gave one that is not a number.</exception>
    public async Task<TopicRetention> GetTopicRetentionAsync(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        var partitions = await GetPartitionsAsync(topic, cancellationToken).ConfigureAwait(false);
        List<DescribeConfigsResult> results;
        try
        {
            results = await _admin.Value.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }], new DescribeConfigsOptions { RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex)
        {
            throw new InvalidOperationException($"The configs of topic '{topic}' could not be described on {_endpoint}: {ex.Error.Code} {ex.Error.Reason}", ex);
        }

        var entries = results.Single().Entries;
        long Read(string name) =>
            !entries.TryGetValue(name, out var entry) || entry.Value is null
                ? throw new InvalidOperationException($"{_endpoint} described topic '{topic}' without {name}, so its retention cannot be judged.")
                : long.TryParse(entry.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new InvalidOperationException($"{_endpoint} described {name} of topic '{topic}' as '{entry.Value}', which is not a number.");

        return new TopicRetention(topic, partitions.Count, Read("retention.ms"), Read("retention.bytes"));
    }

    /// <summary>Reads the cluster's ACL bindings on consumer groups (DescribeAcls), or why there are none to read.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bindings, or <see langword="null"/> with the reason when the cluster refuses DescribeAcls (e.g. SECURITY_DISABLED: no authorizer).</returns>
    /// <remarks>librdkafka reports a broker's SECURITY_DISABLED answer as an exception or as an empty list, depending on the version; the caller treats an empty list as "nothing to judge by", never as "nobody may".</remarks>
    public async Task<(IReadOnlyList<GroupAcl>? Acls, string? Problem)> DescribeGroupAclsAsync(CancellationToken cancellationToken = default)
    {
        var filter = new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Group, Name = null, ResourcePatternType = ResourcePatternType.Any },
            EntryFilter = new AccessControlEntryFilter { Principal = null, Host = null, Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
        };
        try
        {
            var result = await _admin.Value.DescribeAclsAsync(filter, new DescribeAclsOptions { RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return ([.. result.AclBindings.Select(b => new GroupAcl(
                b.Entry.Principal,
                b.Pattern.Name,
                b.Pattern.ResourcePatternType == ResourcePatternType.Prefixed,
                b.Entry.Operation.ToString().ToUpperInvariant(),
                b.Entry.PermissionType == AclPermissionType.Allow))], null);
        }
        catch (DescribeAclsException ex)
        {
            return (null, $"{_endpoint} refused DescribeAcls ({ex.Result.Error.Code}: {ex.Result.Error.Reason}); a cluster without an authorizer has no ACLs to check");
        }
        catch (KafkaException ex)
        {
            return (null, $"{_endpoint} refused DescribeAcls ({ex.Error.Code}: {ex.Error.Reason}); a cluster without an authorizer has no ACLs to check");
        }
    }
}
