using SinkIdempotency.Environments;

namespace SinkIdempotency.Assessment;

/// <summary>Holds what an assessment learned from the cluster for the Kafka-layer rows: each topic's retention, the offset-reset paths and the group ACLs.</summary>
/// <param name="Capabilities">The environment's capabilities (the offsets API and the consumer-group reset are read from them).</param>
public sealed record KafkaLayerFacts(EnvironmentCapabilities Capabilities)
{
    /// <summary>Gets each declared topic's retention as DescribeConfigs reported it; a topic missing here was not described.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, TopicRetention> Retention { get; init; } = new Dictionary<string, TopicRetention>(StringComparer.Ordinal);

    /// <summary>Gets why a topic's retention could not be read, by topic.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string> RetentionProblems { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the cluster's ACL bindings on consumer groups, or <see langword="null"/> when the cluster has no ACLs to ask (see <see cref="AclProblem"/>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IReadOnlyList<GroupAcl>? GroupAcls { get; init; }

    /// <summary>Gets why the ACLs could not be read (security disabled, DescribeAcls refused), or <see langword="null"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? AclProblem { get; init; }
}
