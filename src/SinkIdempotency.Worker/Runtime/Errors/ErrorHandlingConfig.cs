using System.Text.RegularExpressions;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime.Errors;

/// <summary>A connector's <c>errors.*</c> settings, named, defaulted and documented as Connect's <c>ConnectorConfig</c> and <c>SinkConnectorConfig</c>.</summary>
internal sealed record ErrorHandlingConfig
{
    public const string ToleranceKey = "errors.tolerance";
    public const string RetryTimeoutKey = "errors.retry.timeout";
    public const string RetryDelayMaxKey = "errors.retry.delay.max.ms";
    public const string LogEnableKey = "errors.log.enable";
    public const string LogIncludeMessagesKey = "errors.log.include.messages";
    public const string DlqTopicKey = "errors.deadletterqueue.topic.name";
    public const string DlqReplicationFactorKey = "errors.deadletterqueue.topic.replication.factor";
    public const string DlqContextHeadersKey = "errors.deadletterqueue.context.headers.enable";

    private const string Group = "Error Handling";

    /// <summary>Gets a value indicating whether every error may be tolerated (<c>errors.tolerance=all</c>); default none.</summary>
    public bool ToleranceAll { get; init; }

    public long RetryTimeoutMs { get; init; }

    public long RetryDelayMaxMs { get; init; } = 60_000;

    public bool LogEnable { get; init; }

    public bool LogIncludeMessages { get; init; }

    public string DeadLetterQueueTopic { get; init; } = "";

    public short DeadLetterQueueReplicationFactor { get; init; } = 3;

    public bool DeadLetterQueueContextHeaders { get; init; }

    /// <summary>Gets a value indicating whether the task gets an errant record reporter: a dead-letter queue or error logging is configured, as <c>SinkConnectorConfig.enableErrantRecordReporter</c>.</summary>
    public bool ErrantRecordReporterEnabled => DeadLetterQueueTopic.Length > 0 || LogEnable;

    /// <summary>Defines the <c>errors.*</c> keys on the worker's common connector definition.</summary>
    public static ConfigDefinition DefineKeys(ConfigDefinition definition) => definition
        .Define(new ConfigKeyDefinition { Name = RetryTimeoutKey, Type = ConfigType.Long, DefaultValue = "0", Importance = ConfigImportance.Medium, Group = Group, OrderInGroup = 1, DisplayName = "Retry Timeout for Errors", Documentation = "The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.", Validator = v => long.TryParse(v, out var n) && n < -1 ? "Value must be at least -1" : null })
        .Define(new ConfigKeyDefinition { Name = RetryDelayMaxKey, Type = ConfigType.Long, DefaultValue = "60000", AtLeast = 0, Importance = ConfigImportance.Medium, Group = Group, OrderInGroup = 2, DisplayName = "Maximum Delay Between Retries for Errors", Documentation = "The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the delay once this limit is reached to prevent thundering herd issues." })
        .Define(new ConfigKeyDefinition { Name = ToleranceKey, DefaultValue = "none", ValidValues = ["none", "all"], Importance = ConfigImportance.Medium, Group = Group, OrderInGroup = 3, DisplayName = "Error Tolerance", Documentation = "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records." })
        .Define(new ConfigKeyDefinition { Name = LogEnableKey, Type = ConfigType.Boolean, DefaultValue = "false", Importance = ConfigImportance.Medium, Group = Group, OrderInGroup = 4, DisplayName = "Log Errors", Documentation = "If true, write each error and the details of the failed operation and problematic record to the Connect application log. This is 'false' by default, so that only errors that are not tolerated are reported." })
        .Define(new ConfigKeyDefinition { Name = LogIncludeMessagesKey, Type = ConfigType.Boolean, DefaultValue = "false", Importance = ConfigImportance.Medium, Group = Group, OrderInGroup = 5, DisplayName = "Log Error Details", Documentation = "Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, partition, offset, and timestamp will be logged. This is 'false' by default, which will prevent record keys, values, and headers from being written to log files." })
        .Define(new ConfigKeyDefinition { Name = DlqTopicKey, DefaultValue = "", Importance = ConfigImportance.Medium, Group = Group, OrderInGroup = 6, DisplayName = "Dead Letter Queue Topic Name", Documentation = "The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ." })
        .Define(new ConfigKeyDefinition { Name = DlqReplicationFactorKey, Type = ConfigType.Short, DefaultValue = "3", Importance = ConfigImportance.Medium, Group = Group, OrderInGroup = 7, DisplayName = "Dead Letter Queue Topic Replication Factor", Documentation = "Replication factor used to create the dead letter queue topic when it doesn't already exist." })
        .Define(new ConfigKeyDefinition { Name = DlqContextHeadersKey, Type = ConfigType.Boolean, DefaultValue = "false", Importance = ConfigImportance.Medium, Group = Group, OrderInGroup = 8, DisplayName = "Enable Error Context Headers", Documentation = "If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with __connect.errors." });

    public static ErrorHandlingConfig Parse(IReadOnlyDictionary<string, string> config)
    {
        var parsed = DefineKeys(new ConfigDefinition()).Parse(config);
        return new ErrorHandlingConfig
        {
            ToleranceAll = string.Equals(parsed.GetString(ToleranceKey), "all", StringComparison.OrdinalIgnoreCase),
            RetryTimeoutMs = parsed.GetLong(RetryTimeoutKey),
            RetryDelayMaxMs = parsed.GetLong(RetryDelayMaxKey),
            LogEnable = parsed.GetBoolean(LogEnableKey),
            LogIncludeMessages = parsed.GetBoolean(LogIncludeMessagesKey),
            DeadLetterQueueTopic = parsed.GetString(DlqTopicKey) ?? "",
            DeadLetterQueueReplicationFactor = short.Parse(parsed.GetString(DlqReplicationFactorKey)!, System.Globalization.CultureInfo.InvariantCulture),
            DeadLetterQueueContextHeaders = parsed.GetBoolean(DlqContextHeadersKey),
        };
    }

    /// <summary>Adds Connect's errors when the dead-letter queue topic is one of the consumed topics (<c>SinkConnectorConfig.validate</c>).</summary>
    public static void ValidateDeadLetterQueue(IReadOnlyDictionary<string, string> config, IReadOnlyList<ConfigValue> common)
    {
        var dlq = config.TryGetValue(DlqTopicKey, out var d) ? d.Trim() : "";
        if (dlq.Length == 0)
        {
            return;
        }

        if (config.TryGetValue("topics", out var topicsValue) && !string.IsNullOrWhiteSpace(topicsValue))
        {
            var topics = topicsValue.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
            if (topics.Contains(dlq))
            {
                common.First(v => v.Name == "topics").Errors.Add(
                    $"The DLQ topic '{dlq}' may not be included in the list of topics ('topics=[{string.Join(", ", topics)}]') consumed by the connector");
            }
        }

        if (config.TryGetValue("topics.regex", out var regex) && !string.IsNullOrWhiteSpace(regex))
        {
            try
            {
                if (Regex.IsMatch(dlq, $"^(?:{regex})$"))
                {
                    common.First(v => v.Name == "topics.regex").Errors.Add(
                        $"The DLQ topic '{dlq}' may not be matched by the regex for the topics ('topics.regex={regex}') consumed by the connector");
                }
            }
            catch (ArgumentException)
            {
                // An invalid regex is reported by its own validator.
            }
        }
    }
}
