using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Assessment;

/// <summary>Reads an assessment's Kafka-layer facts from a cluster and grades the scorecard from them and the failure-matrix runs.</summary>
/// <remarks>
/// The runs come from the scenario runner (the CLI's <c>assess</c> runs every declared connector's scenarios through the same sessions as
/// <c>run</c>); this type turns them, the cluster's answers and the declared facts into the rows: connector semantics and target writes per
/// connector, retention and replay cost per topic, the offset-reset path and rights, the consumer groups under the rebalance runs, and rollback.
/// </remarks>
public static class AssessmentRunner
{
    /// <summary>Asks the cluster for what the Kafka-layer rows need: each declared topic's retention (DescribeConfigs) and the group ACLs (DescribeAcls).</summary>
    /// <param name="kafka">The cluster.</param>
    /// <param name="capabilities">The environment's capabilities (offsets API, consumer-group reset).</param>
    /// <param name="definition">The assessment.</param>
    /// <param name="cancellationToken">Cancels the questions.</param>
    /// <returns>The facts; a question the cluster could not answer is recorded with its reason, never thrown.</returns>
    public static async Task<KafkaLayerFacts> ReadKafkaLayerAsync(KafkaEndpoint kafka, EnvironmentCapabilities capabilities, AssessmentDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(definition);
        using var probe = new KafkaProbe(kafka);
        var retention = new Dictionary<string, TopicRetention>(StringComparer.Ordinal);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var topic in definition.Topics)
        {
            try
            {
                retention[topic.Name] = await probe.GetTopicRetentionAsync(topic.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or KafkaProbeException or Confluent.Kafka.KafkaException)
            {
                problems[topic.Name] = ex.Message.TrimEnd('.');
            }
        }

        var (acls, aclProblem) = definition.OffsetResetPrincipals.Count == 0
            ? (null, "the assessment file names no offsets.resetPrincipals")
            : await probe.DescribeGroupAclsAsync(cancellationToken).ConfigureAwait(false);
        return new KafkaLayerFacts(capabilities) { Retention = retention, RetentionProblems = problems, GroupAcls = acls, AclProblem = aclProblem };
    }

    /// <summary>Grades the scorecard.</summary>
    /// <param name="definition">The assessment.</param>
    /// <param name="environment">The environment's report name.</param>
    /// <param name="generatedAt">When the scorecard is produced.</param>
    /// <param name="runs">The declared connectors' runs, in matrix order.</param>
    /// <param name="facts">What the cluster answered.</param>
    /// <param name="dualRun">The rollback dual run, or <see langword="null"/> when none ran (the rollback row is then not assessed).</param>
    /// <returns>The scorecard, with each row's remediation plan from the file.</returns>
    public static AssessmentScorecard Grade(AssessmentDefinition definition, string environment, DateTimeOffset generatedAt, IReadOnlyList<AssessedRun> runs, KafkaLayerFacts facts, DualRunResult? dualRun = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(facts);
        // Measurements (replay beyond retention) are red for every sink by design: the matrix rows leave them out.
        var byConnector = runs.Where(r => !RebuildBeyondRetentionRule.IsMeasurement(r)).GroupBy(r => r.Connector, StringComparer.Ordinal).ToList();
        var rows = new List<AssessmentRow>();
        rows.AddRange(byConnector.Select(g => ConnectorSemanticsRule.Evaluate(g.Key, [.. g])));
        foreach (var topic in definition.Topics)
        {
            facts.Retention.TryGetValue(topic.Name, out var retention);
            rows.Add(RetentionRule.Evaluate(topic.Name, retention, facts.RetentionProblems.GetValueOrDefault(topic.Name), topic.RecoveryWindow, topic.Rate));
        }

        rows.Add(OffsetResetRule.EvaluatePath(facts.Capabilities));
        var connectorNames = new[] { definition.LegacyConnector, definition.NewConnector }
            .Select(c => c is not null && c.TryGetValue("name", out var name) ? name : null)
            .OfType<string>()
            .ToList();
        rows.Add(OffsetResetRule.EvaluateRights(definition.OffsetResetPrincipals, connectorNames, facts.GroupAcls, facts.AclProblem));
        rows.Add(ConsumerGroupRule.Evaluate(runs));
        if (RebuildBeyondRetentionRule.Evaluate(runs) is { } rebuild)
        {
            rows.Add(rebuild);
        }

        rows.AddRange(byConnector.Select(g => TargetWritesRule.Evaluate(g.Key, g.First().Scenario.ConnectorConfig, [.. g])));
        foreach (var topic in definition.Topics)
        {
            rows.Add(Cost(topic, runs, facts.Retention.GetValueOrDefault(topic.Name), definition.ReplayDeadline));
        }

        rows.Add(RollbackRule.Evaluate(dualRun, definition.LegacyConnector is null || definition.NewConnector is null
            ? "the assessment file declares no rollback.legacy and rollback.new connectors, so no dual run (legacy and new side by side on one topic, both reconciled, offsets aligned, then the legacy path stopped) ran; declare both to assess it"
            : $"the {environment} environment ran no dual run for the declared rollback.legacy and rollback.new connectors"));
        return new AssessmentScorecard(definition.Name, environment, generatedAt, [.. rows.Select(r => r with { Remediation = definition.RowRemediation.GetValueOrDefault(r.Title) ?? definition.Remediation.GetValueOrDefault(r.Area) })]);
    }

    /// <summary>Lists the titles of the rows an assessment will have, before anything runs, so a per-row remediation plan can be checked against them.</summary>
    /// <param name="definition">The assessment.</param>
    /// <param name="scenarios">Each declared scenario with the connector (scorecard column) it belongs to.</param>
    /// <returns>The row titles, in scorecard order.</returns>
    public static IReadOnlyList<string> RowTitles(AssessmentDefinition definition, IEnumerable<(string Connector, Scenario Scenario)> scenarios)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(scenarios);

        // The rows depend on what is declared, never on what was measured: grading runs without results yields the same titles.
        var runs = scenarios.Select(s => new AssessedRun(s.Connector, s.Scenario, null, "not run")).ToList();
        return [.. Grade(definition, "none", DateTimeOffset.UnixEpoch, runs, new KafkaLayerFacts(EnvironmentCapabilities.None)).Rows.Select(r => r.Title)];
    }

    // The slowest measured replay among the declared connectors plans the capacity: every connector must keep up.
    private static AssessmentRow Cost(AssessedTopic topic, IReadOnlyList<AssessedRun> runs, TopicRetention? retention, TimeSpan? deadline)
    {
        var replays = runs.Where(r => r.Scenario.Fault?.Name == "replay" && r.Result is not null).ToList();
        var measured = replays
            .Select(r => ReplayMeasurement.Measure(r.Result!, topic.Rate.RecordBytes, r.Scenario.ConnectorConfig.TryGetValue("tasks.max", out var t) && int.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1))
            .OfType<ReplayThroughput>()
            .OrderBy(m => m.RecordsPerSecond)
            .FirstOrDefault();
        var reason = replays.Count == 0
            ? "no replay scenario ran for the declared connectors"
            : "no replay run caught up with the end of the topic in its evidence";
        return CostModelRule.Evaluate(topic.Name, measured, reason, topic.RecoveryWindow, topic.Rate, retention?.Partitions, deadline);
    }
}
