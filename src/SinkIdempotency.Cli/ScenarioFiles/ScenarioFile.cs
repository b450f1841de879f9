using SinkIdempotency.Cli.Matrix;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SinkIdempotency.Cli.ScenarioFiles;

/// <summary>Reads a YAML scenario file (format: <c>docs/scenario-file.md</c>) into a matrix entry, rejecting anything it does not understand.</summary>
internal static class ScenarioFile
{
    public static readonly IReadOnlyList<string> FaultKinds = FaultCatalog.KindNames;

    public static readonly IReadOnlyList<string> SemanticsNames = ["exactly-once-effect", "at-least-once", "upsert-by-key"];

    private static readonly IReadOnlyList<string> RootKeys = ["name", "connector", "declared", "workload", "fault", "target", "timeouts", "plugins"];
    private static readonly IReadOnlyList<string> ConnectorKeys = ["label", "config", "deadLetterQueue"];
    private static readonly IReadOnlyList<string> WorkloadKeys = ["records", "partitions", "keys", "payloadSize", "format", "seed", "recordsPerSecond", "schemaName"];

    /// <summary>The produce rate of a scenario file that names none: the reference matrix's, so the worker commits several times while records flow and crash windows have commits to race.</summary>
    public const double DefaultRecordsPerSecond = 500;
    private static readonly IReadOnlyList<string> TargetKeys = ["kind", "schema", "eventIdColumn", "keyColumn", "versionColumn", "valueHashColumn", "payloadColumn", "topicColumn", "partitionColumn", "offsetColumn", "filter"];
    private static readonly IReadOnlyList<string> TimeoutKeys = ["settle", "stableFor", "start"];
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    /// <summary>Reads and validates a scenario file.</summary>
    /// <exception cref="ScenarioFileException">Thrown when the file is missing, not YAML, or not a valid scenario.</exception>
    public static async Task<MatrixEntry> LoadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioFileException(path, 0, 0, null, $"cannot read the scenario file: {ex.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Parses scenario YAML; <paramref name="file"/> names the source in errors.</summary>
    /// <exception cref="ScenarioFileException">Thrown when the text is not a valid scenario.</exception>
    public static MatrixEntry Parse(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ScenarioFileException(file, ex.Start.Line, ex.Start.Column, null, "syntax error: " + SyntaxProblem(ex));
        }

        if (stream.Documents.Count == 0)
        {
            throw new ScenarioFileException(file, 0, 0, null, "the file is empty; expected a mapping with the keys name, connector and declared");
        }

        if (stream.Documents.Count > 1)
        {
            throw new ScenarioFileException(file, stream.Documents[1].RootNode.Start.Line, stream.Documents[1].RootNode.Start.Column, null, "one scenario per file; split the documents into separate files and pass --scenario for each");
        }

        var root = YamlMap.Root(file, stream.Documents[0].RootNode);
        var name = root.String("name", required: true)!;
        var connector = root.Map("connector", required: true)!;
        var config = connector.StringMap("config", required: true)!;
        if (!config.TryGetValue("connector.class", out var connectorClass) || string.IsNullOrWhiteSpace(connectorClass))
        {
            throw connector.Map("config")!.Error("connector.class", "missing required key; expected the sink connector's class name");
        }

        if (config.ContainsKey("name"))
        {
            throw connector.Map("config")!.ErrorAtKey("name", "remove it: the runner names the connector after the run (use ${connector} to refer to it)");
        }

        var label = connector.String("label") ?? connectorClass.Split('.')[^1];
        var deadLetterQueue = connector.Bool("deadLetterQueue") ?? false;
        connector.RejectUnknownKeys(ConnectorKeys);

        var semantics = root.OneOf("declared", "semantics", SemanticsNames, required: true) switch
        {
            "at-least-once" => DeclaredSemantics.AtLeastOnce,
            "upsert-by-key" => DeclaredSemantics.UpsertByKey,
            _ => DeclaredSemantics.ExactlyOnceEffect,
        };

        var scenario = Scenario.Named(name).WithConnector(config).Declaring(semantics);
        if (deadLetterQueue)
        {
            scenario = scenario.WithDeadLetterQueue();
        }

        scenario = scenario.WithWorkload(root.Map("workload") is { } workload
            ? ReadWorkload(workload)
            : new ScenarioWorkload { RecordsPerSecond = DefaultRecordsPerSecond });

        if (root.Map("fault") is { } fault)
        {
            scenario = scenario.WithFault(ReadFault(fault));
        }

        if (root.Map("target") is { } target)
        {
            scenario = scenario.WithTarget(ReadTarget(target));
        }

        if (root.Map("timeouts") is { } timeouts)
        {
            scenario = scenario.WithTimeouts(timeouts.Duration("settle", MaxTimeout), timeouts.Duration("stableFor", MaxTimeout), timeouts.Duration("start", MaxTimeout));
            timeouts.RejectUnknownKeys(TimeoutKeys);
        }

        var plugins = ReadPlugins(root, file);
        root.RejectUnknownKeys(RootKeys);
        try
        {
            scenario.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ScenarioFileException(file, 0, 0, null, ex.Message);
        }

        return new MatrixEntry(label, scenario, file) { PluginPaths = plugins };
    }

    // Plugin paths are relative to the scenario file's folder, and must exist: a typo must not run the built-in sinks instead.
    private static List<string> ReadPlugins(YamlMap root, string file)
    {
        var plugins = new List<string>();
        var folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? Environment.CurrentDirectory;
        foreach (var plugin in root.StringList("plugins") ?? [])
        {
            var path = Path.GetFullPath(plugin, folder);
            plugins.Add(File.Exists(path) || Directory.Exists(path)
                ? path
                : throw root.Error("plugins", $"'{plugin}' ({path}) does not exist; give a folder or .dll with your .NET sink, relative to the scenario file's folder"));
        }

        return plugins;
    }

    private static ScenarioWorkload ReadWorkload(YamlMap map)
    {
        var defaults = new ScenarioWorkload();
        var workload = new ScenarioWorkload
        {
            Records = map.Int("records", 1, 10_000_000) ?? defaults.Records,
            Partitions = map.Int("partitions", 1, 1000) ?? defaults.Partitions,
            Keys = map.Int("keys", 0, 10_000_000) ?? defaults.Keys,
            PayloadSize = map.Int("payloadSize", 0, 1_000_000) ?? defaults.PayloadSize,
            Format = map.OneOf("format", "format", ["json-envelope", "plain-json"]) == "plain-json" ? RecordFormat.PlainJson : defaults.Format,
            Seed = map.Int("seed", int.MinValue, int.MaxValue) ?? defaults.Seed,
            RecordsPerSecond = map.Double("recordsPerSecond", 1, 10_000_000, maxExclusive: false) ?? DefaultRecordsPerSecond,
            SchemaName = map.String("schemaName") ?? defaults.SchemaName,
        };
        map.RejectUnknownKeys(WorkloadKeys);
        return workload;
    }

    private static Fault ReadFault(YamlMap map)
    {
        var definition = FaultCatalog.Find(map.OneOf("kind", "fault", FaultKinds, required: true)!)!;
        var fault = definition.Read(new YamlFaultSettings(map, MaxTimeout));
        map.RejectUnknownKeys(["kind", .. definition.Keys]);
        return fault;
    }

    private static ScenarioTarget ReadTarget(YamlMap map)
    {
        var kind = map.OneOf("kind", "target", ScenarioTarget.Kinds) ?? ScenarioTarget.PostgreSqlKind;
        return new ScenarioTarget { Kind = kind, Mapping = ReadMapping(map) };
    }

    private static PostgreSqlTableMapping ReadMapping(YamlMap map)
    {
        var d = new PostgreSqlTableMapping { Table = "${table}" };
        var mapping = new PostgreSqlTableMapping
        {
            Table = "${table}",
            Schema = map.String("schema") ?? d.Schema,
            EventIdColumn = map.String("eventIdColumn") ?? d.EventIdColumn,
            KeyColumn = map.String("keyColumn"),
            VersionColumn = map.String("versionColumn"),
            ValueHashColumn = map.String("valueHashColumn"),
            PayloadColumn = map.String("payloadColumn"),
            TopicColumn = map.String("topicColumn"),
            PartitionColumn = map.String("partitionColumn"),
            OffsetColumn = map.String("offsetColumn"),
            Filter = map.String("filter"),
        };
        map.RejectUnknownKeys(TargetKeys);
        if (mapping.ValueHashColumn is not null && mapping.PayloadColumn is not null)
        {
            throw map.ErrorAtKey("payloadColumn", "map either valueHashColumn or payloadColumn, not both: each gives the row's value hash");
        }

        return mapping;
    }

    private static string SyntaxProblem(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        var marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 ? message[(marker + 3)..] : message;
    }
}
