using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>DescribeConfigs request (v0–4; v4 flexible). Resource types: 2 = topic, 4 = broker.</summary>
internal sealed record DescribeConfigsRequest(IReadOnlyList<DescribeConfigsResource> Resources, bool IncludeSynonyms, bool IncludeDocumentation) : KafkaRequest, IKafkaRequest<DescribeConfigsRequest>
{
    public const sbyte TopicResource = 2;
    public const sbyte BrokerResource = 4;
    public const short FirstFlexible = 4;

    public override BrokerRequest Describe(BrokerRequest header) =>
        header with { Topics = [.. Resources.Where(r => r.ResourceType == TopicResource).Select(r => r.ResourceName)] };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new DescribeConfigsResponse([.. Resources.Select(r => new DescribeConfigsResult(error, null, r.ResourceType, r.ResourceName, []))]);

    public static DescribeConfigsRequest Read(ref KafkaReader reader, short version)
    {
        var flexible = version >= FirstFlexible;
        var count = reader.ReadArrayLength(flexible, 4);
        var resources = new List<DescribeConfigsResource>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var type = reader.ReadInt8();
            var name = reader.ReadString(flexible);
            var keyCount = reader.ReadArrayLength(flexible, 1);
            List<string>? keys = null;
            if (keyCount >= 0)
            {
                keys = new List<string>(keyCount);
                for (var k = 0; k < keyCount; k++)
                {
                    keys.Add(reader.ReadString(flexible));
                }
            }

            reader.SkipTaggedFields(flexible);
            resources.Add(new DescribeConfigsResource(type, name, keys));
        }

        var includeSynonyms = version >= 1 && reader.ReadBoolean();
        var includeDocumentation = version >= 3 && reader.ReadBoolean();
        reader.SkipTaggedFields(flexible);
        return new DescribeConfigsRequest(resources, includeSynonyms, includeDocumentation);
    }
}

/// <summary>One resource of a DescribeConfigs request; null keys mean "all configs".</summary>
internal sealed record DescribeConfigsResource(sbyte ResourceType, string ResourceName, IReadOnlyList<string>? ConfigurationKeys);

/// <summary>DescribeConfigs response (v0–4). Synonyms are written only when the request asked for them.</summary>
internal sealed class DescribeConfigsResponse(IReadOnlyList<DescribeConfigsResult> results) : Response
{
    public IReadOnlyList<DescribeConfigsResult> Results { get; } = results;

    public override ErrorCode TopLevelError => Results.Select(r => r.Error).FirstOrDefault(e => e != ErrorCode.None);

    public override void Write(KafkaWriter writer, short version)
    {
        var flexible = version >= DescribeConfigsRequest.FirstFlexible;
        writer.WriteInt32(0);
        writer.WriteArrayLength(Results.Count, flexible);
        foreach (var result in Results)
        {
            writer.WriteInt16(result.Error);
            writer.WriteNullableString(result.ErrorMessage, flexible);
            writer.WriteInt8(result.ResourceType);
            writer.WriteString(result.ResourceName, flexible);
            writer.WriteArrayLength(result.Configs.Count, flexible);
            foreach (var config in result.Configs)
            {
                writer.WriteString(config.Name, flexible);
                writer.WriteNullableString(config.Value, flexible);
                writer.WriteBoolean(config.ReadOnly);
                if (version == 0)
                {
                    writer.WriteBoolean(config.Source == ConfigSource.DefaultConfig);
                }
                else
                {
                    writer.WriteInt8((sbyte)config.Source);
                }

                writer.WriteBoolean(false);
                if (version >= 1)
                {
                    writer.WriteArrayLength(config.Synonyms.Count, flexible);
                    foreach (var (name, value, source) in config.Synonyms)
                    {
                        writer.WriteString(name, flexible);
                        writer.WriteNullableString(value, flexible);
                        writer.WriteInt8((sbyte)source);
                        writer.WriteTaggedFields(flexible);
                    }
                }

                if (version >= 3)
                {
                    writer.WriteInt8((sbyte)config.Type);
                    writer.WriteNullableString(null, flexible);
                }

                writer.WriteTaggedFields(flexible);
            }

            writer.WriteTaggedFields(flexible);
        }

        writer.WriteTaggedFields(flexible);
    }
}

/// <summary>One resource's result in a DescribeConfigs response.</summary>
internal sealed record DescribeConfigsResult(ErrorCode Error, string? ErrorMessage, sbyte ResourceType, string ResourceName, IReadOnlyList<DescribeConfigsEntry> Configs);

/// <summary>One config entry in a DescribeConfigs response; <see cref="Synonyms"/> is empty unless the request included them.</summary>
internal sealed record DescribeConfigsEntry(
    string Name,
    string? Value,
    bool ReadOnly,
    ConfigSource Source,
    IReadOnlyList<(string Name, string? Value, ConfigSource Source)> Synonyms,
    ConfigType Type);

/// <summary>A config's data type as DescribeConfigs v3+ reports it (Kafka's <c>DescribeConfigsResponse.ConfigType</c> ids).</summary>
internal enum ConfigType : sbyte
{
    Unknown = 0,
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
}
