namespace SinkIdempotency.Assessment;

/// <summary>Holds one ACL binding on consumer groups as the cluster reports it (DescribeAcls).</summary>
/// <param name="Principal">The principal, e.g. <c>User:platform-ops</c>, or <c>User:*</c> for everyone.</param>
/// <param name="ResourceName">The group name, a prefix of it, or <c>*</c>.</param>
/// <param name="Prefixed">Whether <paramref name="ResourceName"/> is a prefix (pattern type PREFIXED) rather than a literal name.</param>
/// <param name="Operation">The operation in Kafka's upper-case naming: <c>READ</c>, <c>DELETE</c>, <c>DESCRIBE</c>, <c>ALL</c>.</param>
/// <param name="Allow">Whether the binding allows (<see langword="true"/>) or denies the operation.</param>
public sealed record GroupAcl(string Principal, string ResourceName, bool Prefixed, string Operation, bool Allow)
{
    /// <summary>Tells whether the binding applies to a principal and a group.</summary>
    /// <param name="principal">The principal.</param>
    /// <param name="group">The group name.</param>
    /// <returns><see langword="true"/> when both match.</returns>
    public bool Covers(string principal, string group) =>
        (Principal == principal || Principal == "User:*")
        && (ResourceName == "*" || (Prefixed ? group.StartsWith(ResourceName, StringComparison.Ordinal) : ResourceName == group));
}
