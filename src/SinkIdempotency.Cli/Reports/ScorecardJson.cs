using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Writes <c>scorecard.json</c>; the schema is <c>docs/scorecard.schema.json</c>, explained in <c>docs/scorecard-schema.md</c>.</summary>
internal static class ScorecardJson
{
    /// <summary>The schema version written in <c>schemaVersion</c>.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ToJson(Scorecard scorecard) => ToNode(scorecard).ToJsonString(Indented);

    public static JsonObject ToNode(Scorecard scorecard)
    {
        var summary = new JsonObject();
        foreach (var verdict in Enum.GetValues<ScorecardVerdict>())
        {
            summary[Scorecard.Name(verdict)] = scorecard.Count(verdict);
        }

        var scenarios = new JsonArray();
        foreach (var entry in scorecard.Scenarios)
        {
            scenarios.Add(ToNode(entry));
        }

        return new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["tool"] = "sink-idempotency " + ToolVersion.Value,
            ["environment"] = scorecard.Environment,
            ["startedAt"] = scorecard.StartedAt.ToString("o", CultureInfo.InvariantCulture),
            ["durationMs"] = scorecard.DurationMs,
            ["repeat"] = scorecard.Repeat,
            ["summary"] = summary,
            ["scenarios"] = scenarios,
        };
    }

    private static JsonObject ToNode(ScorecardEntry entry)
    {
        var node = new JsonObject
        {
            ["name"] = entry.Name,
            ["fault"] = entry.Fault,
            ["connector"] = entry.Connector,
            ["target"] = entry.Target,
            ["declared"] = entry.Declared,
            ["verdict"] = Scorecard.Name(entry.Verdict),
            ["headline"] = entry.Headline,
            ["outcome"] = entry.Outcome,
            ["repetition"] = entry.Repetition,
            ["durationMs"] = entry.DurationMs,
            ["produced"] = entry.Produced,
            ["inTarget"] = entry.InTarget,
            ["targetRows"] = entry.TargetRows,
            ["anomalies"] = new JsonObject
            {
                ["lost"] = entry.Anomalies.Lost,
                ["duplicated"] = entry.Anomalies.Duplicated,
                ["unexpected"] = entry.Anomalies.Unexpected,
                ["stale"] = entry.Anomalies.Stale,
                ["unseen"] = entry.Anomalies.Unseen,
                ["deadLettered"] = entry.Anomalies.DeadLettered,
                ["silentlyDropped"] = entry.Anomalies.SilentlyDropped,
            },
            ["forbidden"] = new JsonArray([.. entry.Forbidden.Select(f => (JsonNode)JsonValue.Create(f))]),
            ["reasons"] = new JsonArray([.. entry.Reasons.Select(r => (JsonNode)JsonValue.Create(r))]),
            ["taskFailures"] = new JsonArray([.. entry.TaskFailures.Select(ToNode)]),
        };
        if (entry.RunId is not null)
        {
            node["runId"] = entry.RunId;
        }

        if (entry.FaultDetail is not null)
        {
            node["faultDetail"] = entry.FaultDetail;
        }

        if (entry.Finding is not null)
        {
            node["finding"] = entry.Finding;
        }

        if (entry.Evidence is not null)
        {
            node["evidence"] = entry.Evidence;
        }

        return node;
    }

    private static JsonNode ToNode(Scenarios.TaskFailure failure)
    {
        var node = new JsonObject { ["task"] = failure.Task, ["causedByPoison"] = failure.CausedByPoison, ["firstLine"] = failure.FirstLine };
        Optional(node, "workerId", failure.WorkerId);
        Optional(node, "poison", failure.Poison?.ToString());
        Optional(node, "attribution", failure.Attribution);
        Optional(node, "rootCause", failure.RootCause);
        node["headlines"] = new JsonArray([.. failure.Headlines.Select(l => (JsonNode)JsonValue.Create(l))]);
        return node;
    }

    private static void Optional(JsonObject node, string name, string? value)
    {
        if (value is not null)
        {
            node[name] = value;
        }
    }
}
