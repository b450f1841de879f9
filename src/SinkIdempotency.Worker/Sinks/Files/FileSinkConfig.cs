using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>The file sink's settings; object naming and rotation follow Confluent's S3 sink (<c>flush.size</c>, <c>filename.offset.zero.pad.width</c>).</summary>
internal sealed record FileSinkConfig
{
    public static ConfigDefinition Definition { get; } = new ConfigDefinition()
        .Define(new ConfigKeyDefinition { Name = "file.directory", IsRequired = true, Importance = ConfigImportance.High, Group = "File", OrderInGroup = 1, DisplayName = "Directory", Documentation = "Folder the sink writes its files to (created if missing).", Validator = v => string.IsNullOrWhiteSpace(v) ? "String may not be empty" : null })
        .Define(new ConfigKeyDefinition { Name = "file.mode", DefaultValue = "append", ValidValues = ["append", "deterministic"], Importance = ConfigImportance.High, Group = "File", OrderInGroup = 2, DisplayName = "Mode", Documentation = "append: one file per topic-partition, lines appended (duplicates on replay); deterministic: objects <topic>+<partition>+<startOffset>.jsonl rotated every flush.size records, written atomically, offsets committed only for finished objects (replay rewrites identical objects)." })
        .Define(new ConfigKeyDefinition { Name = "flush.size", Type = ConfigType.Int, DefaultValue = "100", AtLeast = 1, Importance = ConfigImportance.High, Group = "File", OrderInGroup = 3, DisplayName = "Flush Size", Documentation = "Number of records written to an object before it is finished (deterministic mode)." })
        .Define(new ConfigKeyDefinition { Name = "rotate.schedule.interval.ms", Type = ConfigType.Long, DefaultValue = "1000", AtLeast = 0, Importance = ConfigImportance.Medium, Group = "File", OrderInGroup = 5, DisplayName = "Rotate Schedule Interval (ms)", Documentation = "Finish an object at the first put or offset commit after it has been open this long, so the last records of a quiet partition land (deterministic mode); 0 finishes objects only at flush.size. An object being rewritten by a replay always ends where the existing one ends." })
        .Define(new ConfigKeyDefinition { Name = "filename.offset.zero.pad.width", Type = ConfigType.Int, DefaultValue = "10", AtLeast = 0, Importance = ConfigImportance.Low, Group = "File", OrderInGroup = 4, DisplayName = "Filename Offset Zero Pad Width", Documentation = "Width to zero-pad offsets in object names to (deterministic mode)." });

    public required string Directory { get; init; }

    public FileSinkMode Mode { get; init; }

    public int FlushSize { get; init; } = 100;

    public int OffsetPadWidth { get; init; } = 10;

    public TimeSpan RotateAfter { get; init; } = TimeSpan.FromSeconds(1);

    public static FileSinkConfig Parse(IReadOnlyDictionary<string, string> config)
    {
        var parsed = Definition.Parse(config);
        return new FileSinkConfig
        {
            Directory = Path.GetFullPath(parsed.GetString("file.directory")!),
            Mode = string.Equals(parsed.GetString("file.mode"), "deterministic", StringComparison.OrdinalIgnoreCase) ? FileSinkMode.Deterministic : FileSinkMode.Append,
            FlushSize = parsed.GetInt("flush.size"),
            OffsetPadWidth = parsed.GetInt("filename.offset.zero.pad.width"),
            RotateAfter = TimeSpan.FromMilliseconds(parsed.GetLong("rotate.schedule.interval.ms")),
        };
    }
}
