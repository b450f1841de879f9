using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>DescribeConfigs request (v0–1). Resource types: 2 = topic, 4 = broker.</summary>
internal sealed record DescribeConfigsRequest(IReadOnlyList<DescribeConfigsResource> Resources, bool IncludeSynonyms) : KafkaRequest, IKafkaRequest<DescribeConfigsRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) =>
        header with { Topics = [.. Resources.Where(r => r.ResourceType == TopicResource).Select(r => r.ResourceName)] };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new DescribeConfigsResponse([.. Resources.Select(r => new DescribeConfigsResult(error, null, r.ResourceType, r.ResourceName, []))], IncludeSynonyms);

    public const sbyte TopicResource = 2;
    public const sbyte BrokerResource = 4;

    public static DescribeConfigsRequest Read(ref KafkaReader reader, short version)
    {
        var count = reader.ReadArrayLength(7);
        var resources = new List<DescribeConfigsResource>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var type = reader.ReadInt8();
            var name = reader.ReadString();
            var keyCount = reader.ReadArrayLength(2);
            List<string>? keys = null;
            if (keyCount >= 0)
            {
                keys = new List<string>(keyCount);
                for (var k = 0; k < keyCount; k++)
                {
                    keys.Add(reader.ReadString());
                }
            }

            resources.Add(new DescribeConfigsResource(type, name, keys));
        }

        var includeSynonyms = version >= 1 && reader.ReadBoolean();
        return new DescribeConfigsRequest(resources, includeSynonyms);
    }
}

/// <summary>One resource of a DescribeConfigs request; null keys mean "all configs".</summary>
internal sealed record DescribeConfigsResource(sbyte ResourceType, string ResourceName, IReadOnlyList<string>? ConfigurationKeys);

/// <summary>DescribeConfigs response (v0–1).</summary>
internal sealed class DescribeConfigsResponse(IReadOnlyList<DescribeConfigsResult> results, bool includeSynonyms) : Response
{
    /// <summary>ConfigSource values (v1+): DYNAMIC_TOPIC_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG.</summary>
    public const sbyte DynamicTopicConfig = 1;
    public const sbyte StaticBrokerConfig = 4;
    public const sbyte DefaultConfig = 5;

    public IReadOnlyList<DescribeConfigsResult> Results { get; } = results;

    public override ErrorCode TopLevelError => Results.Select(r => r.Error).FirstOrDefault(e => e != ErrorCode.None);

    public override void Write(KafkaWriter writer, short version)
    {
        writer.WriteInt32(0);
        writer.WriteArrayLength(Results.Count);
        foreach (var result in Results)
        {
            writer.WriteInt16(result.Error);
            writer.WriteNullableString(result.ErrorMessage);
            writer.WriteInt8(result.ResourceType);
            writer.WriteString(result.ResourceName);
            writer.WriteArrayLength(result.Configs.Count);
            foreach (var config in result.Configs)
            {
                writer.WriteString(config.Name);
                writer.WriteNullableString(config.Value);
                writer.WriteBoolean(config.ReadOnly);
                if (version == 0)
                {
                    writer.WriteBoolean(config.Source == DefaultConfig);
                }
                else
                {
                    writer.WriteInt8(config.Source);
                }

                writer.WriteBoolean(false);
                if (version >= 1)
                {
                    if (!includeSynonyms || config.Source == DefaultConfig)
                    {
                        writer.WriteArrayLength(0);
                    }
                    else
                    {
                        writer.WriteArrayLength(1);
                        writer.WriteString(config.Name);
                        writer.WriteNullableString(config.Value);
                        writer.WriteInt8(config.Source);
                    }
                }
            }
        }
    }
}

/// <summary>One resource's result in a DescribeConfigs response.</summary>
internal sealed record DescribeConfigsResult(ErrorCode Error, string? ErrorMessage, sbyte ResourceType, string ResourceName, IReadOnlyList<DescribeConfigsEntry> Configs);

/// <summary>One config entry in a DescribeConfigs response.</summary>
internal sealed record DescribeConfigsEntry(string Name, string? Value, bool ReadOnly, sbyte Source);
