using Confluent.Kafka;
using Confluent.Kafka.Admin;
using static SinkIdempotency.Broker.Tests.Admin.DeleteRecordsClientTests;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Admin;

/// <summary>Topic configs through Confluent.Kafka: IncrementalAlterConfigs, AlterConfigs and DescribeConfigs' sources and synonyms.</summary>
public sealed class TopicConfigClientTests
{
    [Fact]
    public async Task IncrementalAlterConfigsAsync_SetThenDelete_DescribeConfigsShowsValueAndSource()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = AdminFor(broker);
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);
        var resource = new ConfigResource { Type = ResourceType.Topic, Name = topic };

        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] =
            [
                new ConfigEntry { Name = "retention.ms", Value = "3600000", IncrementalOperation = AlterConfigOpType.Set },
                new ConfigEntry { Name = "retention.bytes", Value = "1048576", IncrementalOperation = AlterConfigOpType.Set },
            ],
        });
        var set = (await admin.DescribeConfigsAsync([resource])).Single().Entries;

        set["retention.ms"].Value.Should().Be("3600000");
        set["retention.ms"].Source.Should().Be(ConfigSource.DynamicTopicConfig);
        set["retention.ms"].Synonyms.Select(s => (s.Name, s.Value, s.Source)).Should().Equal(("retention.ms", "3600000", ConfigSource.DynamicTopicConfig));
        set["retention.bytes"].Synonyms.Select(s => (s.Name, s.Value, s.Source)).Should().Equal(
            ("retention.bytes", "1048576", ConfigSource.DynamicTopicConfig),
            ("log.retention.bytes", "-1", ConfigSource.DefaultConfig));
        broker.GetTopic(topic)!.Configs.Should().Contain("retention.ms", "3600000");

        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] = [new ConfigEntry { Name = "retention.ms", IncrementalOperation = AlterConfigOpType.Delete }],
        });
        var deleted = (await admin.DescribeConfigsAsync([resource])).Single().Entries;

        deleted["retention.ms"].Value.Should().Be("604800000");
        deleted["retention.ms"].Source.Should().Be(ConfigSource.DefaultConfig);
        deleted["retention.bytes"].Value.Should().Be("1048576", "DELETE touches only the config it names");
    }

    [Fact]
    public async Task IncrementalAlterConfigsAsync_AppendToListAndBadChanges_AppliesOnlyValidResources()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = AdminFor(broker);
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);

        var act = () => admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = topic }] =
                [new ConfigEntry { Name = "cleanup.policy", Value = "compact", IncrementalOperation = AlterConfigOpType.Append }],
            [new ConfigResource { Type = ResourceType.Topic, Name = "no-such-topic" }] =
                [new ConfigEntry { Name = "retention.ms", Value = "1", IncrementalOperation = AlterConfigOpType.Set }],
        });

        var reports = (await act.Should().ThrowAsync<IncrementalAlterConfigsException>()).Which.Results;
        reports.Single(r => r.ConfigResource.Name == topic).Error.Code.Should().Be(ErrorCode.NoError);
        reports.Single(r => r.ConfigResource.Name == "no-such-topic").Error.Code.Should().Be(ErrorCode.UnknownTopicOrPart);
        broker.GetTopic(topic)!.Configs.Should().Contain("cleanup.policy", "delete,compact");

        var invalid = () => admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = topic }] =
            [
                new ConfigEntry { Name = "retention.ms", Value = "-7", IncrementalOperation = AlterConfigOpType.Set },
            ],
        });
        var error = (await invalid.Should().ThrowAsync<IncrementalAlterConfigsException>()).Which.Results.Single().Error;
        error.Code.Should().Be(ErrorCode.InvalidConfig);
        error.Reason.Should().Contain("Value must be at least -1");
        broker.GetTopic(topic)!.Configs.Should().NotContainKey("retention.ms", "a rejected change is not applied");

        var appendToNumber = () => admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = topic }] =
                [new ConfigEntry { Name = "retention.ms", Value = "5", IncrementalOperation = AlterConfigOpType.Append }],
        });
        (await appendToNumber.Should().ThrowAsync<IncrementalAlterConfigsException>()).Which.Results.Single().Error.Reason
            .Should().Be("Config value append is not allowed for config key: retention.ms");
    }

    [Fact]
    public async Task AlterConfigsAsync_ReplacesEveryOverride()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = AdminFor(broker);
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1, new Dictionary<string, string?> { ["retention.ms"] = "1000", ["max.message.bytes"] = "2000" });

#pragma warning disable CS0618 // AlterConfigs is deprecated in favour of IncrementalAlterConfigs, but clients still send it.
        await admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = topic }] = [new ConfigEntry { Name = "retention.bytes", Value = "4096" }],
        });
#pragma warning restore CS0618

        broker.GetTopic(topic)!.Configs.Should().BeEquivalentTo(new Dictionary<string, string?> { ["retention.bytes"] = "4096" });
    }

    [Fact]
    public async Task DescribeConfigsAsync_BrokerWideRetentionFromOptions_IsStaticBrokerConfigUntilTheTopicOverridesIt()
    {
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { DefaultRetention = TimeSpan.FromHours(2), DefaultRetentionBytes = 1 << 30 });
        using var admin = AdminFor(broker);
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);
        var resource = new ConfigResource { Type = ResourceType.Topic, Name = topic };

        var inherited = (await admin.DescribeConfigsAsync([resource])).Single().Entries;
        broker.SetTopicConfig(topic, "retention.ms", "60000");
        var overridden = (await admin.DescribeConfigsAsync([resource])).Single().Entries;
        var brokerConfigs = (await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }])).Single().Entries;

        inherited["retention.ms"].Value.Should().Be("7200000");
        inherited["retention.ms"].Source.Should().Be(ConfigSource.StaticBrokerConfig);
        inherited["retention.ms"].Synonyms.Select(s => (s.Name, s.Value, s.Source)).Should().Equal(("log.retention.ms", "7200000", ConfigSource.StaticBrokerConfig));
        inherited["retention.bytes"].Value.Should().Be("1073741824");
        overridden["retention.ms"].Value.Should().Be("60000");
        overridden["retention.ms"].Source.Should().Be(ConfigSource.DynamicTopicConfig);
        overridden["retention.ms"].Synonyms.Select(s => s.Source).Should().Equal(ConfigSource.DynamicTopicConfig, ConfigSource.StaticBrokerConfig);
        brokerConfigs["log.retention.ms"].Value.Should().Be("7200000");
        brokerConfigs["log.retention.ms"].Source.Should().Be(ConfigSource.StaticBrokerConfig);
        brokerConfigs["log.retention.check.interval.ms"].Value.Should().Be("300000");
    }

    [Fact]
    public async Task SetTopicConfig_UnknownTopicOrInvalidValue_ThrowsSayingWhatToChangeAndKeepsTheOldValue()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1, new Dictionary<string, string?> { ["segment.bytes"] = "4096" });

        var unknownTopic = () => broker.SetTopicConfig("no-such-topic", "retention.ms", "1");
        var badValue = () => broker.SetTopicConfig(topic, "segment.bytes", "10");
        var unknownName = () => broker.SetTopicConfig(topic, "retention.minutes", "1");

        unknownTopic.Should().Throw<ArgumentException>().WithMessage("*'no-such-topic' does not exist*").Which.ParamName.Should().Be("topic");
        badValue.Should().Throw<ArgumentException>().WithMessage("*Invalid value 10 for configuration segment.bytes: Value must be at least 14*").Which.ParamName.Should().Be("name");
        unknownName.Should().Throw<ArgumentException>().WithMessage("*Unknown topic config name: retention.minutes*");
        broker.GetTopic(topic)!.Configs.Should().BeEquivalentTo(new Dictionary<string, string?> { ["segment.bytes"] = "4096" });
    }
}
