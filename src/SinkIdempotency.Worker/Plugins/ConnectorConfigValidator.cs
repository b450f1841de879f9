using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Converters;
using SinkIdempotency.Worker.Runtime.Errors;

namespace SinkIdempotency.Worker.Plugins;

/// <summary>Validates a connector configuration as Connect's herder does: common keys (<c>ConnectorConfig</c>, <c>SinkConnectorConfig</c>), then the connector's own.</summary>
internal sealed class ConnectorConfigValidator(PluginRegistry plugins)
{
    public static ConfigDefinition CommonDefinition { get; } = new ConfigDefinition()
        .Define(new ConfigKeyDefinition { Name = "name", IsRequired = true, Importance = ConfigImportance.High, Group = "Common", OrderInGroup = 1, DisplayName = "Connector name", Documentation = "Globally unique name to use for this connector.", Validator = v => string.IsNullOrWhiteSpace(v) ? "String may not be empty" : v.Any(char.IsControl) ? "String may not contain control sequences" : null })
        .Define(new ConfigKeyDefinition { Name = "connector.class", IsRequired = true, Importance = ConfigImportance.High, Group = "Common", OrderInGroup = 2, DisplayName = "Connector class", Documentation = "Name or alias of the class for this connector. Must be a subclass of SinkConnector." })
        .Define(new ConfigKeyDefinition { Name = "tasks.max", Type = ConfigType.Int, DefaultValue = "1", AtLeast = 1, Importance = ConfigImportance.High, Group = "Common", OrderInGroup = 3, DisplayName = "Tasks max", Documentation = "Maximum number of tasks to use for this connector." })
        .Define(new ConfigKeyDefinition { Name = "key.converter", Type = ConfigType.Class, Importance = ConfigImportance.Low, Group = "Common", OrderInGroup = 4, DisplayName = "Key converter class", Documentation = "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.", Validator = ValidateConverter })
        .Define(new ConfigKeyDefinition { Name = "value.converter", Type = ConfigType.Class, Importance = ConfigImportance.Low, Group = "Common", OrderInGroup = 5, DisplayName = "Value converter class", Documentation = "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.", Validator = ValidateConverter })
        .Define(new ConfigKeyDefinition { Name = "header.converter", Type = ConfigType.Class, Importance = ConfigImportance.Low, Group = "Common", OrderInGroup = 6, DisplayName = "Header converter class", Documentation = "HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. Headers are passed to sinks as raw bytes." })
        .Define(new ConfigKeyDefinition { Name = "topics", Type = ConfigType.List, DefaultValue = "", Importance = ConfigImportance.High, Group = "Common", OrderInGroup = 7, DisplayName = "Topics", Documentation = "List of topics to consume, separated by commas" })
        .Define(new ConfigKeyDefinition { Name = "topics.regex", DefaultValue = "", Importance = ConfigImportance.High, Group = "Common", OrderInGroup = 8, DisplayName = "Topics regex", Documentation = "Regular expression giving topics to consume.", Validator = ValidateRegex })
        .Define(new ConfigKeyDefinition { Name = "transforms", Type = ConfigType.List, DefaultValue = "", Importance = ConfigImportance.Low, Group = "Transforms", OrderInGroup = 1, DisplayName = "Transforms", Documentation = "Aliases for the transformations to be applied to records. Not supported by this worker.", Validator = v => string.IsNullOrWhiteSpace(v) ? null : "Single Message Transforms are not supported by the SinkIdempotency worker" })
        .WithErrorHandlingKeys();

    public ValidationResult Validate(IReadOnlyDictionary<string, string> config)
    {
        var configs = new List<(ConfigKeyDefinition, ConfigValue)>();
        var common = CommonDefinition.Validate(config);
        configs.AddRange(CommonDefinition.Keys.Zip(common));
        var classValue = common.First(v => v.Name == "connector.class");
        var className = config.TryGetValue("connector.class", out var c) ? c.Trim() : "";
        var plugin = className.Length == 0 ? null : plugins.Find(className);
        if (className.Length > 0 && plugin is null)
        {
            classValue.Errors.Add($"Invalid value {className} for configuration connector.class: {plugins.UnknownClassMessage(className)}");
        }

        ValidateTopics(config, common);
        ErrorHandlingConfig.ValidateDeadLetterQueue(config, common);
        var groups = new List<string> { "Common", "Transforms", "Error Handling" };
        if (plugin is not null)
        {
            var connector = plugin.Create();
            var own = connector.Validate(config);
            foreach (var value in own)
            {
                var definition = connector.Config.Find(value.Name) ?? new ConfigKeyDefinition { Name = value.Name };
                configs.Add((definition, value));
                if (definition.Group is { } group && !groups.Contains(group))
                {
                    groups.Add(group);
                }
            }
        }

        return new ValidationResult(plugin?.ClassName ?? className, groups, configs);
    }

    private static void ValidateTopics(IReadOnlyDictionary<string, string> config, IReadOnlyList<ConfigValue> common)
    {
        var hasTopics = config.TryGetValue("topics", out var topics) && topics.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Length > 0;
        var hasRegex = config.TryGetValue("topics.regex", out var regex) && !string.IsNullOrWhiteSpace(regex);
        var message = hasTopics && hasRegex
            ? "topics and topics.regex are mutually exclusive options, but both are set."
            : !hasTopics && !hasRegex ? "Must configure one of topics or topics.regex" : null;
        if (message is null)
        {
            return;
        }

        common.First(v => v.Name == "topics").Errors.Add(message);
        common.First(v => v.Name == "topics.regex").Errors.Add(message);
    }

    private static string? ValidateConverter(string? value) =>
        string.IsNullOrWhiteSpace(value) || ConverterFactory.Resolve(value.Trim()) is not null
            ? null
            : $"Class {value} could not be found.";

    private static string? ValidateRegex(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        try
        {
            _ = new System.Text.RegularExpressions.Regex(value);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
