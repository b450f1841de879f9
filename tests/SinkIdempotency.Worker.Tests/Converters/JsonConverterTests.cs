using System.Text;
using System.Text.Json.Nodes;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Converters;

namespace SinkIdempotency.Worker.Tests.Converters;

public sealed class JsonConverterTests
{
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void ToConnectData_EnvelopeWithStruct_ReturnsSchemaAndTypedValue()
    {
        var converter = new JsonConverter(schemasEnabled: true);

        var (schema, value) = converter.ToConnectData("t", Bytes("""
            {"schema":{"type":"struct","name":"r","optional":false,"fields":[
              {"type":"int64","optional":false,"field":"id"},
              {"type":"string","optional":true,"field":"name"},
              {"type":"array","items":{"type":"int32"},"optional":true,"field":"tags"}]},
             "payload":{"id":42,"name":null,"tags":[1,2]}}
            """));

        schema!.Type.Should().Be(ConnectSchemaType.Struct);
        schema.Name.Should().Be("r");
        schema.Fields.Select(f => (f.Name, f.Schema.Type, f.Schema.IsOptional)).Should().Equal(
            ("id", ConnectSchemaType.Int64, false), ("name", ConnectSchemaType.String, true), ("tags", ConnectSchemaType.Array, true));
        value!["id"]!.GetValue<long>().Should().Be(42);
        value["name"].Should().BeNull();
        value["tags"]!.AsArray().Select(t => t!.GetValue<int>()).Should().Equal(1, 2);
    }

    [Theory]
    [InlineData("""{"id":1}""")]
    [InlineData("""{"schema":{"type":"int32"},"payload":1,"extra":true}""")]
    [InlineData("""[1,2]""")]
    public void ToConnectData_SchemasEnabledWithoutEnvelope_ThrowsConnectsMessage(string json)
    {
        var act = () => new JsonConverter(schemasEnabled: true).ToConnectData("t", Bytes(json));

        act.Should().Throw<DataException>().WithMessage(
            "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.");
    }

    [Fact]
    public void ToConnectData_SchemasDisabled_ReturnsPlainJsonWithoutSchema()
    {
        var (schema, value) = new JsonConverter(schemasEnabled: false).ToConnectData("t", Bytes("""{"id":1,"nested":{"a":true}}"""));

        schema.Should().BeNull();
        value!["nested"]!["a"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void ToConnectData_Null_IsTombstone()
    {
        new JsonConverter(true).ToConnectData("t", null).Should().Be(((ConnectSchema?)null, (JsonNode?)null));
    }

    [Fact]
    public void ToConnectData_NotJson_ThrowsSerializationError()
    {
        var act = () => new JsonConverter(false).ToConnectData("t", Bytes("not json"));

        act.Should().Throw<DataException>().WithMessage("Converting byte[] to Kafka Connect data failed due to serialization error: ");
    }

    [Fact]
    public void ToConnectData_RequiredFieldNull_Throws()
    {
        var act = () => new JsonConverter(true).ToConnectData("t", Bytes("""{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}]},"payload":{}}"""));

        act.Should().Throw<DataException>().WithMessage("Invalid null value for required INT32 field");
    }

    [Fact]
    public void ToConnectData_StringWhereIntExpected_Throws()
    {
        var act = () => new JsonConverter(true).ToConnectData("t", Bytes("""{"schema":{"type":"int32"},"payload":"seven"}"""));

        act.Should().Throw<DataException>().WithMessage("Invalid type for INT32: String");
    }

    [Fact]
    public void StringConverter_Bytes_ReturnsOptionalString()
    {
        var (schema, value) = new StringConverter().ToConnectData("t", Bytes("héllo"));

        schema!.Type.Should().Be(ConnectSchemaType.String);
        schema.IsOptional.Should().BeTrue();
        value!.GetValue<string>().Should().Be("héllo");
    }

    [Theory]
    [InlineData("org.apache.kafka.connect.json.JsonConverter", typeof(JsonConverter))]
    [InlineData("JsonConverter", typeof(JsonConverter))]
    [InlineData("org.apache.kafka.connect.storage.StringConverter", typeof(StringConverter))]
    [InlineData("ByteArrayConverter", typeof(ByteArrayConverter))]
    public void ConverterFactory_ClassOrAlias_CreatesConverter(string className, Type expected)
    {
        ConverterFactory.Create("value.converter", new Dictionary<string, string> { ["value.converter"] = className }, new Dictionary<string, string>())
            .Should().BeOfType(expected);
    }

    [Fact]
    public void ConverterFactory_SchemasEnableFalseOnConnector_OverridesWorker()
    {
        var converter = ConverterFactory.Create(
            "value.converter",
            new Dictionary<string, string> { ["value.converter"] = "JsonConverter", ["value.converter.schemas.enable"] = "false" },
            new Dictionary<string, string> { ["value.converter.schemas.enable"] = "true" });

        converter.Should().BeOfType<JsonConverter>().Which.SchemasEnabled.Should().BeFalse();
    }

    [Fact]
    public void ConverterFactory_Unset_DefaultsToJsonWithSchemas()
    {
        ConverterFactory.Create("key.converter", new Dictionary<string, string>(), new Dictionary<string, string>())
            .Should().BeOfType<JsonConverter>().Which.SchemasEnabled.Should().BeTrue();
    }
}
