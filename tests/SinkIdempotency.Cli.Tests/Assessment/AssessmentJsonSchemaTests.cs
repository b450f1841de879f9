using System.Text.Json.Nodes;
using SinkIdempotency.Assessment;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Cli.Tests.Assessment;

public sealed class AssessmentJsonSchemaTests : IDisposable
{
    private const string File = """
        name: schema check
        connectors:
          reference: postgres-insert
        topics:
          - name: orders
            recoveryWindow: 1h
            recordBytes: 500
            rate: { average: 50 }
          - name: refunds
            recoveryWindow: 2d
            recordBytes: 100
            rate: { peak: 10 }
        offsets:
          resetPrincipals: [User:ops]
        rollback:
          legacy: { connector.class: com.example.Legacy, name: orders-v1 }
          new: { connector.class: com.example.New, name: orders-v2 }
        remediation:
          target-writes: Move to upsert on record_key.
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    internal static JsonObject Schema() =>
        JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "assessment.schema.json")))!.AsObject();

    [Fact]
    public async Task AssessmentJson_RealRunWithEveryStatus_MatchesTheDocumentedSchema()
    {
        var json = await AssessAsync();

        var statuses = json["rows"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()).ToHashSet();
        statuses.Should().Contain(["red", "not-assessed", "green"], "the document under test must exercise the schema's branches");
        json["rows"]!.AsArray().Should().Contain(r => r!["subject"] == null, "a whole-area row has a null subject");
        json["rows"]!.AsArray().Should().Contain(r => r!["remediation"] != null);
        JsonSchemaCheck.Validate(json, Schema()).Should().BeEmpty();
    }

    [Fact]
    public void AssessmentJson_UnboundedFigure_IsNullAndMatchesTheSchema()
    {
        var card = new AssessmentScorecard("s", "embedded", DateTimeOffset.UnixEpoch, [new(AssessmentArea.KafkaLayer, "retention of t", AssessmentStatus.Green, "ok", [new("retainedSecondsAtRate", double.PositiveInfinity, "s")])]);

        var json = JsonNode.Parse(card.ToJson());

        json!["rows"]![0]!["figures"]![0]!["value"].Should().BeNull();
        JsonSchemaCheck.Validate(json, Schema()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("overall", "$: missing required property 'overall'")]
    [InlineData("status", "$.rows[0].status: \"blue\" is not one of")]
    [InlineData("extra", "$: property 'extra' is not in the schema")]
    [InlineData("value", "$.rows[0].figures[0].value: expected number or null, got \"fast\"")]
    public async Task AssessmentJson_ChangedDocument_FailsTheSchemaCheck(string change, string expected)
    {
        var json = await AssessAsync();
        switch (change)
        {
            case "overall":
                json.Remove("overall");
                break;
            case "status":
                json["rows"]![0]!["status"] = "blue";
                break;
            case "extra":
                json["extra"] = 1;
                break;
            default:
                json["rows"]![0]!["figures"]![0]!["value"] = "fast";
                break;
        }

        JsonSchemaCheck.Validate(json, Schema()).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    private async Task<JsonObject> AssessAsync()
    {
        var path = Path.Combine(_folder.Path, "a.yaml");
        await System.IO.File.WriteAllTextAsync(path, File, TestContext.Current.CancellationToken);
        var sessions = new FakeSessions(s => s.Fault?.Name == "crash-after-target-write" ? Results.Make(s, Verdict.Red, duplicated: 2) : AssessCommandTests.Green(s))
        {
            KafkaFacts = AssessCommandTests.GoodFacts(),
        };
        var output = Path.Combine(_folder.Path, "out");

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", path, "--out", output);

        code.Should().Be(1, error);
        return JsonNode.Parse(await System.IO.File.ReadAllTextAsync(Path.Combine(output, "assessment.json"), TestContext.Current.CancellationToken))!.AsObject();
    }
}
