namespace SinkIdempotency.Targets;

/// <summary>Generates the settings of Elasticsearch's sink connector (<c>io.confluent.connect.elasticsearch.ElasticsearchSinkConnector</c>, kafka-connect-elasticsearch) that point it at a cluster and a run's index, and those that choose its document ids.</summary>
public static class ElasticsearchSinkSettings
{
    /// <summary>The Elasticsearch sink's connector class.</summary>
    public const string ConnectorClass = "io.confluent.connect.elasticsearch.ElasticsearchSinkConnector";

    /// <summary>Creates the settings that point the sink at a cluster and send the run's records to the index named as the run's table: <c>connection.url</c>, and a <c>RegexRouter</c> (the sink names the index after the record's topic).</summary>
    /// <param name="url">How the connectors reach the cluster, for example <c>http://elasticsearch:9200</c>.</param>
    /// <returns>The settings.</returns>
    public static IReadOnlyDictionary<string, string> Connection(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["connection.url"] = url.GetLeftPart(UriPartial.Authority),
            ["transforms"] = "toRunIndex",
            ["transforms.toRunIndex.type"] = "org.apache.kafka.connect.transforms.RegexRouter",
            ["transforms.toRunIndex.regex"] = ".*",
            ["transforms.toRunIndex.replacement"] = "${table}",
        };
    }

    /// <summary>Creates the settings that choose document ids.</summary>
    /// <param name="keyIgnore">
    /// <see langword="true"/> (<c>key.ignore=true</c>): each record is its own document, id <c>topic+partition+offset</c>, so a
    /// redelivered record overwrites itself. <see langword="false"/>: the record key is the id and the offset its external
    /// version, so the index holds the newest record of each key (a claim of upsert by key, not of one document per event).
    /// </param>
    /// <returns>The settings, with the workload's converters (string keys, JSON values with schemas) and the sink's schema mapping off (dynamic mapping).</returns>
    public static IReadOnlyDictionary<string, string> Documents(bool keyIgnore) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["connector.class"] = ConnectorClass,
        ["key.ignore"] = keyIgnore ? "true" : "false",
        ["schema.ignore"] = "true",
        ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        ["value.converter.schemas.enable"] = "true",
        ["write.method"] = "insert",
        ["behavior.on.null.values"] = "ignore",
    };
}
