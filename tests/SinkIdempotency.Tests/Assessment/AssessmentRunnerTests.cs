using SinkIdempotency.Assessment;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Assessment;

public sealed class AssessmentRunnerTests
{
    private static readonly AssessmentDefinition Definition = new(
        "poc",
        [],
        [
            new AssessedTopic("orders", TimeSpan.FromDays(7), new IngestRate(10, 20, 100)),
            new AssessedTopic("refunds", TimeSpan.FromDays(7), new IngestRate(10, 20, 100)),
        ]);

    // Ten minutes of retention against a seven-day window: both retention rows are red.
    private static readonly KafkaLayerFacts ShortRetention = new(EnvironmentCapabilities.OffsetsApi | EnvironmentCapabilities.ConsumerGroupReset)
    {
        Retention = new Dictionary<string, TopicRetention>
        {
            ["orders"] = new("orders", 3, 600_000, -1),
            ["refunds"] = new("refunds", 3, 600_000, -1),
        },
    };

    [Fact]
    public void Grade_RowPlanAndAreaPlan_TheRowsOwnWinsAndTheAreaCoversTheOthers()
    {
        var definition = Definition with
        {
            Remediation = new Dictionary<AssessmentArea, string> { [AssessmentArea.KafkaLayer] = "Review the Kafka layer." },
            RowRemediation = new Dictionary<string, string> { ["Kafka layer: retention of orders"] = "Raise retention.ms on orders to 8 days." },
        };

        var card = AssessmentRunner.Grade(definition, "embedded", DateTimeOffset.UnixEpoch, [], ShortRetention);

        Plan(card, "Kafka layer: retention of orders").Should().Be("Raise retention.ms on orders to 8 days.");
        Plan(card, "Kafka layer: retention of refunds").Should().Be("Review the Kafka layer.");
        Plan(card, "Kafka layer: offset reset").Should().Be("Review the Kafka layer.");
        Plan(card, "Rollback").Should().BeNull();
        card.RemediationErrors().Should().BeEmpty();
    }

    [Fact]
    public void Grade_PlanForOneRedRowOnly_TheOtherRedRowOfTheAreaIsNamed()
    {
        var definition = Definition with { RowRemediation = new Dictionary<string, string> { ["Kafka layer: retention of orders"] = "Raise retention.ms on orders to 8 days." } };

        var card = AssessmentRunner.Grade(definition, "embedded", DateTimeOffset.UnixEpoch, [], ShortRetention);

        card.Rows.Where(r => r.Subject is "retention of orders" or "retention of refunds").Should().OnlyContain(r => r.Status == AssessmentStatus.Red);
        card.MissingRemediation.Select(r => r.Title).Should().Equal("Kafka layer: retention of refunds");
        card.RemediationErrors().Should().ContainSingle().Which.Should().Contain("remediation.rows.\"Kafka layer: retention of refunds\"");
    }

    [Fact]
    public void RowTitles_DeclaredConnectorsAndTopics_ListsEveryRowBeforeAnythingRuns()
    {
        var scenario = Scenario.Named("pg-crash").WithConnector(AssessedRuns.Upsert).WithFault(SinkIdempotency.Faults.FaultCatalog.Find("crash-after-target-write")!.Reference());

        var titles = AssessmentRunner.RowTitles(Definition, [("pg", scenario)]);

        titles.Should().Equal(
            "Connector semantics: pg",
            "Kafka layer: retention of orders",
            "Kafka layer: retention of refunds",
            "Kafka layer: offset reset",
            "Kafka layer: offset-reset rights",
            "Kafka layer: consumer groups",
            "Target writes: pg",
            "Cost model: replay of orders",
            "Cost model: replay of refunds",
            "Rollback");
    }

    private static string? Plan(AssessmentScorecard card, string title) => card.Rows.Single(r => r.Title == title).Remediation;
}
