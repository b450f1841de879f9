using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Worker.Plugins;

namespace SinkIdempotency.Worker.Tests.Plugins;

public sealed class ConnectorConfigValidatorTests
{
    private static readonly PluginRegistry Registry = new(NullLoggerFactory.Instance, []);

    private static Dictionary<string, string> Valid() => new()
    {
        ["name"] = "n",
        ["connector.class"] = "PostgresSink",
        ["topics"] = "t",
        ["connection.url"] = "jdbc:postgresql://h:1/d",
    };

    [Theory]
    [InlineData("PostgresSink")]
    [InlineData("PostgresSinkConnector")]
    [InlineData("SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector")]
    public void Find_FullNameOrAlias_ResolvesBuiltInSink(string name)
    {
        Registry.Find(name)!.ClassName.Should().Be("SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector");
    }

    [Fact]
    public void Validate_ValidConfig_HasNoErrors()
    {
        var result = new ConnectorConfigValidator(Registry).Validate(Valid());

        result.ErrorCount.Should().Be(0, string.Join("\n", result.Errors));
        result.Groups.Should().StartWith(["Common", "Transforms", "Error Handling"]);
    }

    [Fact]
    public void Validate_TopicsAndRegex_ReportsOnBothKeys()
    {
        var config = Valid();
        config["topics.regex"] = "t.*";

        var result = new ConnectorConfigValidator(Registry).Validate(config);

        result.Configs.Where(c => c.Value.Errors.Count > 0).Select(c => c.Definition.Name).Should().Equal("topics", "topics.regex");
        result.Errors.Should().AllBe("topics and topics.regex are mutually exclusive options, but both are set.");
    }

    [Fact]
    public void Validate_NoTopics_ReportsMissingTopics()
    {
        var config = Valid();
        config.Remove("topics");

        new ConnectorConfigValidator(Registry).Validate(config).Errors.Should().Contain("Must configure one of topics or topics.regex");
    }

    [Fact]
    public void Validate_TasksMaxZero_ReportsRange()
    {
        var config = Valid();
        config["tasks.max"] = "0";

        new ConnectorConfigValidator(Registry).Validate(config).Errors.Should().Equal("Invalid value 0 for configuration tasks.max: Value must be at least 1");
    }

    [Fact]
    public void Validate_UnknownConverter_NamesTheKey()
    {
        var config = Valid();
        config["value.converter"] = "com.example.AvroConverter";

        new ConnectorConfigValidator(Registry).Validate(config).Errors.Should().Equal(
            "Invalid value com.example.AvroConverter for configuration value.converter: Class com.example.AvroConverter could not be found.");
    }

    [Fact]
    public void InvalidMessage_TwoErrors_FormatsAsConnect()
    {
        var config = Valid();
        config.Remove("connection.url");
        config["insert.mode"] = "merge";

        var message = new ConnectorConfigValidator(Registry).Validate(config).InvalidMessage();

        message.Should().Be(
            "Connector configuration is invalid and contains the following 2 error(s):\n"
            + "Missing required configuration \"connection.url\" which has no default value.\n"
            + "Invalid value merge for configuration insert.mode: String must be one of: insert, upsert, update\n"
            + "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`");
    }
}
