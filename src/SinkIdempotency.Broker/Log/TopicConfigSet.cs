using System.Globalization;

namespace SinkIdempotency.Broker.Log;

/// <summary>
/// One topic's configuration at one moment: the overrides set on the topic and the values the broker
/// acts on (override, else the broker-wide value from <see cref="KafkaBrokerOptions"/>, else Kafka's default).
/// </summary>
/// <remarks>Immutable: altering a topic's configs swaps in a new set, so readers never see half an update.</remarks>
internal sealed class TopicConfigSet
{
    private readonly IReadOnlyDictionary<string, string> _broker;

    private TopicConfigSet(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> broker)
    {
        Overrides = overrides;
        _broker = broker;
        MaxMessageBytes = int.Parse(Effective(TopicConfigs.MaxMessageBytes)!, CultureInfo.InvariantCulture);
        RetentionMs = long.Parse(Effective(TopicConfigs.RetentionMs)!, CultureInfo.InvariantCulture);
        RetentionBytes = long.Parse(Effective(TopicConfigs.RetentionBytes)!, CultureInfo.InvariantCulture);
        SegmentBytes = int.Parse(Effective(TopicConfigs.SegmentBytes)!, CultureInfo.InvariantCulture);
        SegmentMs = long.Parse(Effective(TopicConfigs.SegmentMs)!, CultureInfo.InvariantCulture);
        var policies = Effective(TopicConfigs.CleanupPolicy)!.Split(',').Select(p => p.Trim()).ToList();
        Delete = policies.Contains("delete");
    }

    /// <summary>Gets the configs set on the topic itself (reported with source TOPIC_CONFIG).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; }

    public int MaxMessageBytes { get; }

    /// <summary>Gets how long a segment is kept after its newest record's timestamp; -1 keeps it forever.</summary>
    public long RetentionMs { get; }

    /// <summary>Gets the most bytes a partition keeps; -1 means no limit.</summary>
    public long RetentionBytes { get; }

    public int SegmentBytes { get; }

    public long SegmentMs { get; }

    /// <summary>Gets whether <c>cleanup.policy</c> contains <c>delete</c>, i.e. whether retention and DeleteRecords apply.</summary>
    public bool Delete { get; }

    /// <summary>Builds a set from already validated overrides and the broker-wide values.</summary>
    /// <param name="overrides">The topic's own configs (validated with <see cref="TopicConfigs.Validate"/>).</param>
    /// <param name="broker">The broker configs set in the options, by broker config name (e.g. <c>log.retention.ms</c>).</param>
    public static TopicConfigSet Create(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> broker) =>
        new(new Dictionary<string, string?>(overrides, StringComparer.Ordinal), broker);

    /// <summary>Returns a set with other overrides and the same broker-wide values.</summary>
    public TopicConfigSet WithOverrides(IReadOnlyDictionary<string, string?> overrides) => Create(overrides, _broker);

    /// <summary>Returns the value the broker acts on for a known topic config.</summary>
    public string? Effective(string name)
    {
        if (Overrides.TryGetValue(name, out var set))
        {
            return set;
        }

        return TopicConfigs.BrokerSynonyms.TryGetValue(name, out var synonym) && _broker.TryGetValue(synonym.Name, out var brokerValue)
            ? brokerValue
            : TopicConfigs.Defaults[name];
    }

    /// <summary>
    /// Describes one config as Kafka's DescribeConfigs does: its value, its source (the first synonym's), and the
    /// synonyms in precedence order — the topic override, the broker's static config, the broker config's default.
    /// </summary>
    public (string? Value, ConfigSource Source, IReadOnlyList<(string Name, string? Value, ConfigSource Source)> Synonyms) Describe(string name)
    {
        var synonyms = new List<(string Name, string? Value, ConfigSource Source)>(3);
        if (Overrides.TryGetValue(name, out var set))
        {
            synonyms.Add((name, set, ConfigSource.TopicConfig));
        }

        if (TopicConfigs.BrokerSynonyms.TryGetValue(name, out var synonym))
        {
            if (_broker.TryGetValue(synonym.Name, out var brokerValue))
            {
                synonyms.Add((synonym.Name, brokerValue, ConfigSource.StaticBrokerConfig));
            }

            if (synonym.Default is { } brokerDefault)
            {
                synonyms.Add((synonym.Name, brokerDefault, ConfigSource.DefaultConfig));
            }
        }

        return (Effective(name), synonyms.Count > 0 ? synonyms[0].Source : ConfigSource.DefaultConfig, synonyms);
    }
}

/// <summary>Where a described config's value comes from (Kafka's <c>DescribeConfigsResponse.ConfigSource</c> ids).</summary>
internal enum ConfigSource : sbyte
{
    Unknown = 0,
    TopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
}
