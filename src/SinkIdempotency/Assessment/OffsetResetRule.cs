using SinkIdempotency.Environments;

namespace SinkIdempotency.Assessment;

/// <summary>Grades how offsets can be reset for a replay (the Kafka layer's offsets and offset-reset-rights rows).</summary>
public static class OffsetResetRule
{
    /// <summary>Gets the prefix Kafka Connect gives a sink connector's consumer group (<c>connect-&lt;connector name&gt;</c>).</summary>
    public const string ConnectGroupPrefix = "connect-";

    /// <summary>Grades the reset path: green with the KIP-875 offsets API, yellow with only the consumer-group reset, red with neither.</summary>
    /// <param name="capabilities">The environment's capabilities.</param>
    /// <returns>The graded row.</returns>
    public static AssessmentRow EvaluatePath(EnvironmentCapabilities capabilities)
    {
        var api = capabilities.HasFlag(EnvironmentCapabilities.OffsetsApi);
        var group = capabilities.HasFlag(EnvironmentCapabilities.ConsumerGroupReset);
        var figures = new List<AssessmentFigure> { new("offsetsApi", api ? 1 : 0, "bool"), new("consumerGroupReset", group ? 1 : 0, "bool") };
        return (api, group) switch
        {
            (true, _) => new(AssessmentArea.KafkaLayer, "offset reset", AssessmentStatus.Green, "The Connect cluster serves the offsets API (KIP-875, Connect 3.6+): a replay resets a stopped connector's offsets through Connect.", figures),
            (false, true) => new(AssessmentArea.KafkaLayer, "offset reset", AssessmentStatus.Yellow, "No offsets API (Connect before 3.6): a replay falls back to resetting the connector's consumer group with the admin API, which needs the connector stopped and its group empty.", figures),
            _ => new(AssessmentArea.KafkaLayer, "offset reset", AssessmentStatus.Red, "Neither the offsets API nor a consumer-group reset is available: a replay cannot move the connector's offsets.", figures),
        };
    }

    /// <summary>Grades whether the declared principals may reset the connector groups' offsets (READ on the group, which AlterConsumerGroupOffsets needs).</summary>
    /// <param name="principals">The principals the assessment file names.</param>
    /// <param name="connectorNames">The production connector names (from the rollback configurations' <c>name</c>); empty checks the <see cref="ConnectGroupPrefix"/> groups as a whole.</param>
    /// <param name="acls">The cluster's group ACLs, or <see langword="null"/> when it has none to ask.</param>
    /// <param name="aclProblem">Why <paramref name="acls"/> is missing.</param>
    /// <returns>The graded row; never green without ACLs to check.</returns>
    public static AssessmentRow EvaluateRights(IReadOnlyList<string> principals, IReadOnlyList<string> connectorNames, IReadOnlyList<GroupAcl>? acls, string? aclProblem)
    {
        ArgumentNullException.ThrowIfNull(principals);
        ArgumentNullException.ThrowIfNull(connectorNames);
        if (principals.Count == 0)
        {
            return Rights(AssessmentStatus.NotAssessed, "Offset-reset rights not assessed: the assessment file names no offsets.resetPrincipals.", []);
        }

        if (acls is null)
        {
            return Rights(AssessmentStatus.NotAssessed, $"Offset-reset rights not assessed: {aclProblem ?? "the cluster reported no ACLs"}.", []);
        }

        var figures = new List<AssessmentFigure> { new("groupAcls", acls.Count, "bindings"), new("principals", principals.Count, "principals") };
        if (acls.Count == 0)
        {
            return Rights(AssessmentStatus.NotAssessed, "Offset-reset rights not assessed: the cluster reports no ACL bindings on consumer groups (no authorizer, or one with no group ACLs), so who may reset cannot be told from ACLs.", figures);
        }

        var groups = connectorNames.Count == 0 ? [ConnectGroupPrefix] : connectorNames.Select(n => ConnectGroupPrefix + n).ToList();
        var denied = new List<string>();
        foreach (var principal in principals)
        {
            foreach (var group in groups)
            {
                var matching = acls.Where(a => a.Covers(principal, group) && a.Operation is "READ" or "ALL").ToList();
                if (matching.Any(a => !a.Allow) || !matching.Any(a => a.Allow))
                {
                    denied.Add($"{principal} on {(connectorNames.Count == 0 ? "connect-* groups" : group)}");
                }
            }
        }

        figures.Add(new("deniedPrincipalGroups", denied.Count, "pairs"));
        return denied.Count > 0
            ? Rights(AssessmentStatus.Red, $"The ACLs give no READ (or deny it) for {string.Join(", ", denied)}: those principals cannot reset the connector groups' offsets for a replay.", figures)
            : Rights(AssessmentStatus.Green, $"Every declared principal ({string.Join(", ", principals)}) has READ on the connector groups, so it may reset their offsets.", figures);
    }

    private static AssessmentRow Rights(AssessmentStatus status, string summary, IReadOnlyList<AssessmentFigure> figures) =>
        new(AssessmentArea.KafkaLayer, "offset-reset rights", status, summary, figures);
}
