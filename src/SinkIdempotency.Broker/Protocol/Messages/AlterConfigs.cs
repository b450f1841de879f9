using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>AlterConfigs request (v0–2; v2 flexible): replaces each resource's whole set of overrides.</summary>
internal sealed record AlterConfigsRequest(IReadOnlyList<AlterConfigsResource> Resources, bool ValidateOnly) : KafkaRequest, IKafkaRequest<AlterConfigsRequest>
{
    public const short FirstFlexible = 2;

    public override BrokerRequest Describe(BrokerRequest header) => header with { Topics = AlterConfigsResource.TopicNames(Resources) };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => AlterConfigsResponse.AllFailed(Resources, error, FirstFlexible);

    public static AlterConfigsRequest Read(ref KafkaReader reader, short version) =>
        new(AlterConfigsResource.ReadAll(ref reader, version >= FirstFlexible, incremental: false), reader.ReadValidateOnly(version >= FirstFlexible));
}

/// <summary>One resource of an AlterConfigs or IncrementalAlterConfigs request (resource types: 2 = topic, 4 = broker).</summary>
internal sealed record AlterConfigsResource(sbyte ResourceType, string ResourceName, IReadOnlyList<ConfigOperation> Configs)
{
    public const sbyte TopicResource = 2;

    public static IReadOnlyList<string> TopicNames(IReadOnlyList<AlterConfigsResource> resources) =>
        [.. resources.Where(r => r.ResourceType == TopicResource).Select(r => r.ResourceName)];

    /// <summary>Reads the resources array; <paramref name="incremental"/> reads each config's operation (IncrementalAlterConfigs) instead of implying SET.</summary>
    public static List<AlterConfigsResource> ReadAll(ref KafkaReader reader, bool flexible, bool incremental)
    {
        var count = reader.ReadArrayLength(flexible, 4);
        var resources = new List<AlterConfigsResource>(Math.Max(count, 0));
        for (var r = 0; r < count; r++)
        {
            var type = reader.ReadInt8();
            var name = reader.ReadString(flexible);
            var configCount = reader.ReadArrayLength(flexible, 3);
            var configs = new List<ConfigOperation>(Math.Max(configCount, 0));
            for (var c = 0; c < configCount; c++)
            {
                var configName = reader.ReadString(flexible);
                var operation = incremental ? (ConfigOperationType)reader.ReadInt8() : ConfigOperationType.Set;
                configs.Add(new ConfigOperation(configName, operation, reader.ReadNullableString(flexible)));
                reader.SkipTaggedFields(flexible);
            }

            reader.SkipTaggedFields(flexible);
            resources.Add(new AlterConfigsResource(type, name, configs));
        }

        return resources;
    }
}

/// <summary>AlterConfigs and IncrementalAlterConfigs response: one error (or none) per resource.</summary>
/// <param name="results">The results, in request order.</param>
/// <param name="firstFlexible">The API's first flexible version (2 for AlterConfigs, 1 for IncrementalAlterConfigs).</param>
internal sealed class AlterConfigsResponse(IReadOnlyList<AlterConfigsResult> results, short firstFlexible) : Response
{
    public IReadOnlyList<AlterConfigsResult> Results { get; } = results;

    public override ErrorCode TopLevelError => Results.Select(r => r.Error).FirstOrDefault(e => e != ErrorCode.None);

    public static AlterConfigsResponse AllFailed(IReadOnlyList<AlterConfigsResource> resources, ErrorCode error, short firstFlexible) =>
        new([.. resources.Select(r => new AlterConfigsResult(error, null, r.ResourceType, r.ResourceName))], firstFlexible);

    public override void Write(KafkaWriter writer, short version)
    {
        var flexible = version >= firstFlexible;
        writer.WriteInt32(0);
        writer.WriteArrayLength(Results.Count, flexible);
        foreach (var result in Results)
        {
            writer.WriteInt16(result.Error);
            writer.WriteNullableString(result.ErrorMessage, flexible);
            writer.WriteInt8(result.ResourceType);
            writer.WriteString(result.ResourceName, flexible);
            writer.WriteTaggedFields(flexible);
        }

        writer.WriteTaggedFields(flexible);
    }
}

/// <summary>One resource's result in an AlterConfigs or IncrementalAlterConfigs response.</summary>
internal sealed record AlterConfigsResult(ErrorCode Error, string? ErrorMessage, sbyte ResourceType, string ResourceName);
