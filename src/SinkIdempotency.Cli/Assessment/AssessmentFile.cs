using System.Globalization;
using SinkIdempotency.Assessment;
using SinkIdempotency.Cli.Matrix;
using SinkIdempotency.Cli.ScenarioFiles;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SinkIdempotency.Cli.Assessment;

/// <summary>Reads a YAML assessment file (format: <c>docs/assessment.md</c>), with the scenario files' rules: unknown keys rejected, every error at file:line:column.</summary>
internal static class AssessmentFile
{
    private static readonly IReadOnlyList<string> RootKeys = ["name", "connectors", "topics", "offsets", "rollback", "replayDeadline", "remediation"];
    private static readonly IReadOnlyList<string> ConnectorKeys = ["scenarios", "reference"];
    private static readonly IReadOnlyList<string> TopicKeys = ["name", "recoveryWindow", "recordBytes", "rate"];
    private static readonly IReadOnlyList<string> RateKeys = ["average", "peak"];
    private static readonly IReadOnlyList<string> OffsetKeys = ["resetPrincipals"];
    private static readonly IReadOnlyList<string> RollbackKeys = ["legacy", "new"];
    private static readonly IReadOnlyList<string> RemediationKeys = [.. Enum.GetValues<AssessmentArea>().Select(AssessmentScorecard.AreaKey), "rows"];
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(3650);

    /// <summary>Reads and validates an assessment file and the scenario files it names.</summary>
    /// <exception cref="ScenarioFileException">Thrown when the file, or a scenario file it names, is missing or invalid.</exception>
    public static async Task<LoadedAssessment> LoadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioFileException(path, 0, 0, null, $"cannot read the assessment file: {ex.Message}");
        }

        var (root, read) = ParseRoot(text, path);
        var entries = new List<MatrixEntry>();
        foreach (var (scenarioPath, at) in read.ScenarioFiles)
        {
            if (!File.Exists(scenarioPath))
            {
                throw at.Error("scenarios", $"'{scenarioPath}' does not exist; give scenario files relative to the assessment file's folder");
            }

            entries.Add(await ScenarioFile.LoadAsync(scenarioPath, cancellationToken).ConfigureAwait(false));
        }

        entries.AddRange(read.Reference);
        var names = entries.GroupBy(e => e.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (names is not null)
        {
            throw root.Error("connectors", $"two scenarios are named '{names.Key}' ({string.Join(", ", names.Select(e => e.Source))}); give each a name of its own");
        }

        var definition = read.Definition with { Scenarios = [.. entries.Select(e => e.Scenario)] };
        if (read.RowPlans is { } rowPlans)
        {
            // A plan for a row the scorecard will not have would never be shown: say so before anything runs.
            var titles = AssessmentRunner.RowTitles(definition, entries.Select(e => (e.Connector, e.Scenario)));
            foreach (var title in definition.RowRemediation.Keys.Where(t => !titles.Contains(t, StringComparer.Ordinal)))
            {
                throw rowPlans.ErrorAtKey(title, $"no row is titled '{title}'; this assessment's rows are: {string.Join(", ", titles.Select(t => $"\"{t}\""))}");
            }
        }

        return new LoadedAssessment(path, definition, entries);
    }

    /// <summary>Parses assessment YAML without opening the scenario files it names; <paramref name="file"/> names the source in errors and anchors relative paths.</summary>
    /// <exception cref="ScenarioFileException">Thrown when the text is not a valid assessment.</exception>
    public static (AssessmentDefinition Definition, IReadOnlyList<string> ScenarioFiles, IReadOnlyList<MatrixEntry> Reference) Parse(string text, string file)
    {
        var (_, read) = ParseRoot(text, file);
        return (read.Definition, [.. read.ScenarioFiles.Select(s => s.Path)], read.Reference);
    }

    private static (YamlMap Root, Read Read) ParseRoot(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ScenarioFileException(file, ex.Start.Line, ex.Start.Column, null, "syntax error: " + ex.Message);
        }

        if (stream.Documents.Count != 1)
        {
            throw new ScenarioFileException(file, 0, 0, null, stream.Documents.Count == 0
                ? "the file is empty; expected a mapping with the keys name, connectors and topics"
                : "one assessment per file");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode)
        {
            throw new ScenarioFileException(file, stream.Documents[0].RootNode.Start.Line, stream.Documents[0].RootNode.Start.Column, null, "expected a mapping with the keys name, connectors and topics at the top of the file");
        }

        var root = YamlMap.Root(file, stream.Documents[0].RootNode);
        var name = root.String("name", required: true)!;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? Environment.CurrentDirectory;

        var connectors = root.Map("connectors", required: true)!;
        var scenarioFiles = (connectors.StringList("scenarios") ?? []).Select(s => (Path.GetFullPath(s, folder), connectors)).ToList();
        var reference = new List<MatrixEntry>();
        var columns = BuiltInMatrix.Entries.Select(e => e.Connector).Distinct(StringComparer.Ordinal).ToList();
        foreach (var column in connectors.StringList("reference") ?? [])
        {
            reference.AddRange(columns.Contains(column, StringComparer.Ordinal)
                ? BuiltInMatrix.Entries.Where(e => e.Connector == column)
                : throw connectors.Error("reference", $"unknown reference connector '{column}'; expected one of {string.Join(", ", columns)}"));
        }

        connectors.RejectUnknownKeys(ConnectorKeys);
        if (scenarioFiles.Count == 0 && reference.Count == 0)
        {
            throw connectors.ErrorAtKey("scenarios", "no connector to assess; list scenario files under connectors.scenarios or reference connectors under connectors.reference");
        }

        var topics = new List<AssessedTopic>();
        foreach (var topic in root.MapList("topics", required: true)!)
        {
            topics.Add(ReadTopic(topic));
        }

        if (topics.Count == 0)
        {
            throw root.Error("topics", "list at least one topic with its recoveryWindow and rate");
        }

        if (topics.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw root.Error("topics", $"topic '{twice.Key}' is listed twice");
        }

        IReadOnlyList<string> principals = [];
        if (root.Map("offsets") is { } offsets)
        {
            principals = offsets.StringList("resetPrincipals") ?? [];
            foreach (var principal in principals.Where(p => !p.Contains(':', StringComparison.Ordinal)))
            {
                throw offsets.Error("resetPrincipals", $"'{principal}' is not a Kafka principal; write it as Type:name, e.g. User:{principal}");
            }

            offsets.RejectUnknownKeys(OffsetKeys);
        }

        IReadOnlyDictionary<string, string>? legacy = null, next = null;
        if (root.Map("rollback") is { } rollback)
        {
            legacy = ReadConnectorConfig(rollback, "legacy");
            next = ReadConnectorConfig(rollback, "new");
            rollback.RejectUnknownKeys(RollbackKeys);
        }

        var deadline = ReadDuration(root, "replayDeadline");
        var remediation = new Dictionary<AssessmentArea, string>();
        var rowRemediation = new Dictionary<string, string>(StringComparer.Ordinal);
        YamlMap? rowPlans = null;
        if (root.Map("remediation") is { } plans)
        {
            foreach (var area in Enum.GetValues<AssessmentArea>())
            {
                if (plans.String(AssessmentScorecard.AreaKey(area)) is { } plan)
                {
                    remediation[area] = plan.Trim();
                }
            }

            if (plans.Map("rows") is { } rowMap)
            {
                rowPlans = rowMap;
                foreach (var (title, plan) in plans.StringMap("rows")!)
                {
                    rowRemediation[title] = string.IsNullOrWhiteSpace(plan)
                        ? throw rowMap.Error(title, "the plan is empty; write the plan, or remove the row")
                        : plan.Trim();
                }
            }

            plans.RejectUnknownKeys(RemediationKeys);
        }

        root.RejectUnknownKeys(RootKeys);
        var definition = new AssessmentDefinition(name, [], topics)
        {
            OffsetResetPrincipals = principals,
            LegacyConnector = legacy,
            NewConnector = next,
            ReplayDeadline = deadline,
            Remediation = remediation,
            RowRemediation = rowRemediation,
        };
        return (root, new Read(definition, scenarioFiles, reference, rowPlans));
    }

    private static AssessedTopic ReadTopic(YamlMap topic)
    {
        var name = topic.String("name", required: true)!;
        var window = ReadDuration(topic, "recoveryWindow") ?? throw topic.Error("recoveryWindow", "missing required key; expected the largest replay you plan, e.g. 7d or 36h");
        var recordBytes = topic.Int("recordBytes", 1, 100_000_000, required: true)!.Value;
        var rateMap = topic.Map("rate", required: true)!;
        var average = rateMap.Double("average", 0, double.MaxValue, maxExclusive: false);
        var peak = rateMap.Double("peak", 0, double.MaxValue, maxExclusive: false);
        rateMap.RejectUnknownKeys(RateKeys);
        if (average is null && peak is null)
        {
            throw topic.Error("rate", "declare rate.peak (and rate.average) in records per second");
        }

        if (average is { } a && peak is { } p && p < a)
        {
            throw rateMap.Error("peak", string.Create(CultureInfo.InvariantCulture, $"{p} is below the average of {a}; the peak is the highest rate you expect"));
        }

        topic.RejectUnknownKeys(TopicKeys);
        return new AssessedTopic(name, window, new IngestRate(average, peak, recordBytes));
    }

    private static IReadOnlyDictionary<string, string>? ReadConnectorConfig(YamlMap rollback, string key)
    {
        var config = rollback.StringMap(key);
        if (config is not null && (!config.TryGetValue("connector.class", out var type) || string.IsNullOrWhiteSpace(type)))
        {
            throw rollback.Error(key, "missing connector.class; give the connector's full configuration");
        }

        return config;
    }

    // Durations as in scenario files (500ms, 30s, 2m, 1h), plus days (7d): recovery windows are counted in days.
    private static TimeSpan? ReadDuration(YamlMap map, string key)
    {
        var text = map.String(key);
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim();
        var parsed = trimmed.EndsWith('d') && double.TryParse(trimmed[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var days)
            ? TimeSpan.FromDays(days)
            : DurationText.TryParse(trimmed, out var value) ? value : (TimeSpan?)null;
        return parsed switch
        {
            null => throw map.Error(key, $"expected a duration such as 30m, 36h or 7d, got '{text}'"),
            { } d when d <= TimeSpan.Zero || d > MaxWindow => throw map.Error(key, $"{text} is out of range; expected more than 0 and at most 3650d"),
            { } d => d,
        };
    }

    private sealed record Read(AssessmentDefinition Definition, IReadOnlyList<(string Path, YamlMap At)> ScenarioFiles, IReadOnlyList<MatrixEntry> Reference, YamlMap? RowPlans);
}
