using System.Globalization;
using System.Text;
using System.Text.Json;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Workload;

public sealed class WorkloadGeneratorTests
{
    [Theory]
    [InlineData(0, 0, 64, null, "Records")]
    [InlineData(1, -1, 64, null, "Keys")]
    [InlineData(1, 0, -1, null, "PayloadSize")]
    [InlineData(1, 0, 10 * 1024 * 1024 + 1, null, "PayloadSize")]
    [InlineData(1, 0, 64, 0.0, "RecordsPerSecond")]
    [InlineData(1, 0, 64, double.NaN, "RecordsPerSecond")]
    public void Constructor_InvalidWorkload_ThrowsNamingTheSetting(int records, int keys, int payload, double? rate, string setting)
    {
        var create = () => new WorkloadGenerator(new ScenarioWorkload { Records = records, Keys = keys, PayloadSize = payload, RecordsPerSecond = rate });

        create.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(setting);
    }

    [Fact]
    public void Constructor_BlankSchemaName_ThrowsNamingTheSetting() =>
        FluentActions.Invoking(() => new WorkloadGenerator(new ScenarioWorkload { SchemaName = " " }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("SchemaName").WithMessage("Use a non-empty schema name*");

    [Fact]
    public void Generate_DefaultWorkload_IsKeyedOverTheDocumentedHundredKeys()
    {
        var records = new WorkloadGenerator(new ScenarioWorkload()).Generate().ToList();

        records.Should().HaveCount(1000);
        records.Select(r => r.Key).Distinct().Should().HaveCount(100, "1000 random draws over 100 keys reach every key");
        records.Should().OnlyContain(r => r.Payload.Length == 64);
    }

    [Fact]
    public void Generate_Keyed_KeysAreKeyDashNumberBelowKeysAndDrawnNotCycled()
    {
        var records = new WorkloadGenerator(new ScenarioWorkload { Records = 500, Keys = 10 }).Generate().ToList();

        records.Should().OnlyContain(r => r.Key!.StartsWith("key-", StringComparison.Ordinal));
        records.Select(r => int.Parse(r.Key!["key-".Length..], CultureInfo.InvariantCulture)).Should().OnlyContain(n => n >= 0 && n < 10);
        records.Select(r => r.Key).Should().NotEqual(records.Select(r => "key-" + (r.Sequence % 10).ToString(CultureInfo.InvariantCulture)), "keys are drawn from the seed, not k{i mod keys}");
    }

    [Fact]
    public void Generate_EventIds_AreGuidsInTheirDForm()
    {
        var records = new WorkloadGenerator(new ScenarioWorkload { Records = 50 }).Generate().ToList();

        records.Select(r => Guid.TryParseExact(r.EventId, "D", out var id) && id.ToString("D") == r.EventId).Should().AllBeEquivalentTo(true);
    }

    [Fact]
    public void Generate_Payload_IsRandomLettersAndDigitsOfPayloadSize()
    {
        var records = new WorkloadGenerator(new ScenarioWorkload { Records = 20, PayloadSize = 33 }).Generate().ToList();

        records.Should().OnlyContain(r => r.Payload.Length == 33 && r.Payload.All(char.IsAsciiLetterOrDigit));
        records.Select(r => r.Payload).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Generate_SchemaName_NamesTheEnvelopeSchema()
    {
        var record = new WorkloadGenerator(new ScenarioWorkload { Records = 1, SchemaName = "orders.Order" }).Generate().Single();

        using var json = JsonDocument.Parse(record.ValueBytes);
        json.RootElement.GetProperty("schema").GetProperty("name").GetString().Should().Be("orders.Order");
    }

    [Fact]
    public void Generate_SameSeedTwice_YieldsIdenticalRecords()
    {
        var options = new ScenarioWorkload { Records = 200, Keys = 7, Seed = 42 };

        var first = new WorkloadGenerator(options).Generate().ToList();
        var second = new WorkloadGenerator(options).Generate().ToList();

        first.Select(r => (r.EventId, r.Key, r.Version, r.Payload, Encoding.UTF8.GetString(r.ValueBytes)))
            .Should().Equal(second.Select(r => (r.EventId, r.Key, r.Version, r.Payload, Encoding.UTF8.GetString(r.ValueBytes))));
    }

    [Fact]
    public void Generate_DifferentSeeds_YieldDifferentEventIds()
    {
        var a = new WorkloadGenerator(new ScenarioWorkload { Records = 50, Seed = 1 }).Generate().Select(r => r.EventId);
        var b = new WorkloadGenerator(new ScenarioWorkload { Records = 50, Seed = 2 }).Generate().Select(r => r.EventId);

        a.Should().NotIntersectWith(b);
    }

    [Fact]
    public void Generate_Keyed_VersionsIncreaseByOnePerKeyFromOne()
    {
        var records = new WorkloadGenerator(new ScenarioWorkload { Records = 1_000, Keys = 5 }).Generate().ToList();

        records.Select(r => r.EventId).Should().OnlyHaveUniqueItems();
        records.Select(r => r.Key).Distinct().Should().HaveCount(5).And.OnlyContain(k => k!.StartsWith("key-"));
        foreach (var group in records.GroupBy(r => r.Key))
        {
            group.Select(r => r.Version!.Value).Should().Equal(Enumerable.Range(1, group.Count()).Select(i => (long)i));
        }

        records.Should().OnlyContain(r => r.KeyBytes != null && Encoding.UTF8.GetString(r.KeyBytes) == r.Key);
    }

    [Fact]
    public void Generate_Unkeyed_HasNoKeyNoVersion()
    {
        var records = new WorkloadGenerator(new ScenarioWorkload { Records = 10, Keys = 0 }).Generate().ToList();

        records.Should().OnlyContain(r => r.Key == null && r.Version == null && r.KeyBytes == null);
        records.Select(r => r.Sequence).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i));
    }

    [Fact]
    public void Generate_JsonEnvelope_HasConnectSchemaAndPayloadOnly()
    {
        var record = new WorkloadGenerator(new ScenarioWorkload { Records = 1, Keys = 3, PayloadSize = 10 }).Generate().Single();

        using var json = JsonDocument.Parse(record.ValueBytes);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("schema", "payload");
        var schema = json.RootElement.GetProperty("schema");
        schema.GetProperty("type").GetString().Should().Be("struct");
        schema.GetProperty("optional").GetBoolean().Should().BeFalse();
        schema.GetProperty("name").GetString().Should().Be("sinkidempotency.Event");
        schema.GetProperty("fields").EnumerateArray().Select(f => (f.GetProperty("field").GetString(), f.GetProperty("type").GetString(), f.GetProperty("optional").GetBoolean()))
            .Should().Equal(("event_id", "string", false), ("key", "string", true), ("version", "int64", true), ("seq", "int64", false), ("payload", "string", false));
        var payload = json.RootElement.GetProperty("payload");
        payload.GetProperty("event_id").GetString().Should().Be(record.EventId);
        payload.GetProperty("key").GetString().Should().Be(record.Key);
        payload.GetProperty("version").GetInt64().Should().Be(1);
        payload.GetProperty("seq").GetInt64().Should().Be(0);
        payload.GetProperty("payload").GetString().Should().HaveLength(10).And.Be(record.Payload);
    }

    [Fact]
    public void Generate_PlainJson_IsTheFieldsObjectWithNulls()
    {
        var record = new WorkloadGenerator(new ScenarioWorkload { Records = 1, Keys = 0, Format = RecordFormat.PlainJson }).Generate().Single();

        using var json = JsonDocument.Parse(record.ValueBytes);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("event_id", "key", "version", "seq", "payload");
        json.RootElement.GetProperty("key").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("version").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void ValueHash_Record_IsHashOfPayloadText()
    {
        var record = new WorkloadGenerator(new ScenarioWorkload { Records = 1 }).Generate().Single();

        record.ValueHash.Should().Be(ValueHash.Compute(record.Payload));
    }

    [Fact]
    public void Generate_PayloadSize_SetsRecordSize()
    {
        var small = new WorkloadGenerator(new ScenarioWorkload { Records = 1, PayloadSize = 10, Format = RecordFormat.PlainJson }).Generate().Single();
        var large = new WorkloadGenerator(new ScenarioWorkload { Records = 1, PayloadSize = 10_010, Format = RecordFormat.PlainJson }).Generate().Single();

        (large.ValueBytes.Length - small.ValueBytes.Length).Should().Be(10_000);
    }
}
