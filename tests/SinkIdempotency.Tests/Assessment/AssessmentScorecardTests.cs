using System.Text.Json;
using SinkIdempotency.Assessment;

namespace SinkIdempotency.Tests.Assessment;

public sealed class AssessmentScorecardTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static AssessmentRow Row(AssessmentArea area, AssessmentStatus status, string? remediation = null, string? subject = null) =>
        new(area, subject, status, $"{area} is {status}.", [new("replayRecordsPerSecond", 5000, "records/s")], remediation);

    [Fact]
    public void RemediationErrors_RedRowWithoutPlan_NamesTheRowAndTheKey()
    {
        var card = new AssessmentScorecard("poc", "embedded", At, [Row(AssessmentArea.CostModel, AssessmentStatus.Red, subject: "replay of orders"), Row(AssessmentArea.Rollback, AssessmentStatus.Red, "Keep the legacy path until reconciled.")]);

        card.MissingRemediation.Select(r => r.Title).Should().Equal("Cost model: replay of orders");
        card.RemediationErrors().Should().Equal("'Cost model: replay of orders' is red and the assessment file gives no remediation plan for it; add one under remediation.rows.\"Cost model: replay of orders\" (or remediation.cost-model for every Cost model row without a plan of its own); every red row needs a written plan before production cutover.");
    }

    [Fact]
    public void RemediationErrors_BlankPlanOrYellowRow_OnlyTheBlankRedCounts()
    {
        var card = new AssessmentScorecard("poc", "embedded", At, [Row(AssessmentArea.KafkaLayer, AssessmentStatus.Red, "  "), Row(AssessmentArea.TargetWrites, AssessmentStatus.Yellow)]);

        card.MissingRemediation.Should().ContainSingle().Which.Area.Should().Be(AssessmentArea.KafkaLayer);
    }

    [Theory]
    [InlineData(new[] { AssessmentStatus.Green, AssessmentStatus.Green }, AssessmentStatus.Green)]
    [InlineData(new[] { AssessmentStatus.Green, AssessmentStatus.NotAssessed }, AssessmentStatus.Yellow)]
    [InlineData(new[] { AssessmentStatus.Yellow, AssessmentStatus.Green }, AssessmentStatus.Yellow)]
    [InlineData(new[] { AssessmentStatus.Yellow, AssessmentStatus.Red }, AssessmentStatus.Red)]
    [InlineData(new AssessmentStatus[0], AssessmentStatus.NotAssessed)]
    public void Overall_Rows_RedBeatsYellowAndNotAssessedIsNeverGreen(AssessmentStatus[] statuses, AssessmentStatus expected)
    {
        var card = new AssessmentScorecard("poc", "embedded", At, [.. statuses.Select(s => Row(AssessmentArea.KafkaLayer, s, "plan"))]);

        card.Overall.Should().Be(expected);
    }

    [Fact]
    public void ToJson_Scorecard_WritesTheDocumentedFields()
    {
        var card = new AssessmentScorecard("poc", "embedded@staging", At,
        [
            Row(AssessmentArea.KafkaLayer, AssessmentStatus.Red, subject: "retention of orders"),
            new(AssessmentArea.CostModel, null, AssessmentStatus.Green, "fine", [new("retainedSecondsAtRate", double.PositiveInfinity, "s")], "n/a"),
        ]);

        using var json = JsonDocument.Parse(card.ToJson());
        var root = json.RootElement;

        root.GetProperty("schemaVersion").GetInt32().Should().Be(1);
        root.GetProperty("name").GetString().Should().Be("poc");
        root.GetProperty("environment").GetString().Should().Be("embedded@staging");
        root.GetProperty("generatedAt").GetDateTimeOffset().Should().Be(At);
        root.GetProperty("overall").GetString().Should().Be("red");
        var first = root.GetProperty("rows")[0];
        first.GetProperty("area").GetString().Should().Be("kafka-layer");
        first.GetProperty("title").GetString().Should().Be("Kafka layer: retention of orders");
        first.GetProperty("status").GetString().Should().Be("red");
        first.GetProperty("remediation").ValueKind.Should().Be(JsonValueKind.Null);
        first.GetProperty("figures")[0].GetProperty("value").GetDouble().Should().Be(5000);
        root.GetProperty("rows")[1].GetProperty("figures")[0].GetProperty("value").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("missingRemediation").EnumerateArray().Select(e => e.GetString()).Should().Equal("Kafka layer: retention of orders");
    }

    [Fact]
    public void ToMarkdown_RedRowWithoutPlan_TableMarksItMissingAndListsTheError()
    {
        var card = new AssessmentScorecard("poc", "embedded", At, [Row(AssessmentArea.Rollback, AssessmentStatus.Red), Row(AssessmentArea.TargetWrites, AssessmentStatus.Green)]);

        var markdown = card.ToMarkdown();

        markdown.Should().Contain("| Rollback | red | Rollback is Red. | **missing** |")
            .And.Contain("| Target writes | green | TargetWrites is Green. | — |")
            .And.Contain("## Red rows without a remediation plan")
            .And.Contain("overall **red**")
            .And.Contain("| replayRecordsPerSecond | 5,000 | records/s |");
    }

    [Fact]
    public void ToMarkdown_PipeAndNewlineInText_StayInOneCell()
    {
        var card = new AssessmentScorecard("poc", "embedded", At, [new(AssessmentArea.Rollback, null, AssessmentStatus.Red, "a|b", [], "line one\nline two")]);

        card.ToMarkdown().Should().Contain("| Rollback | red | a\\|b | line one line two |");
    }
}
