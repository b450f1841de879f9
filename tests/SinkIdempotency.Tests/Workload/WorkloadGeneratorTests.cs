using System.Text;
using System.Text.Json;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Workload;

public sealed class WorkloadGeneratorTests
{
    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new WorkloadOptions();

        options.Count.Should().Be(1_000);
        options.KeyCount.Should().Be(0);
        options.Encoding.Should().Be(WorkloadEncoding.JsonEnvelope);
        options.PayloadLength.Should().Be(64);
        options.RecordsPerSecond.Should().BeNull();
        options.Seed.Should().Be(1);
        options.SchemaName.Should().Be("sinkidempotency.Event");
    }

    [Theory]
    [InlineData(-1, 0, 64, null, "*Count must be 0 or more*")]
    [InlineData(1, -1, 64, null, "*KeyCount must be 0*")]
    [InlineData(1, 0, -1, null, "*PayloadLength must be between*")]
    [InlineData(1, 0, 64, 0.0, "*RecordsPerSecond must be positive*")]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption(int count, int keys, int payload, double? rate, string message)
    {
        var create = () => new WorkloadGenerator(new WorkloadOptions { Count = count, KeyCount = keys, PayloadLength = payload, RecordsPerSecond = rate });

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message);
    }

    [Fact]
    public void Generate_SameSeedTwice_YieldsIdenticalRecords()
    {
        var options = new WorkloadOptions { Count = 200, KeyCount = 7, Seed = 42 };

        var first = new WorkloadGenerator(options).Generate().ToList();
        var second = new WorkloadGenerator(options).Generate().ToList();

        first.Select(r => (r.EventId, r.Key, r.Version, r.Payload, Encoding.UTF8.GetString(r.ValueBytes)))
            .Should().Equal(second.Select(r => (r.EventId, r.Key, r.Version, r.Payload, Encoding.UTF8.GetString(r.ValueBytes))));
    }

    [Fact]
    public void Generate_DifferentSeeds_YieldDifferentEventIds()
    {
        var a = new WorkloadGenerator(new WorkloadOptions { Count = 50, Seed = 1 }).Generate().Select(r => r.EventId);
        var b = new WorkloadGenerator(new WorkloadOptions { Count = 50, Seed = 2 }).Generate().Select(r => r.EventId);

        a.Should().NotIntersectWith(b);
    }

    [Fact]
    public void Generate_Keyed_VersionsIncreaseByOnePerKeyAndStayWithinKeyCount()
    {
        var records = new WorkloadGenerator(new WorkloadOptions { Count = 1_000, KeyCount = 5 }).Generate().ToList();

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
        var records = new WorkloadGenerator(new WorkloadOptions { Count = 10 }).Generate().ToList();

        records.Should().OnlyContain(r => r.Key == null && r.Version == null && r.KeyBytes == null);
        records.Select(r => r.Sequence).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i));
    }

    [Fact]
    public void Generate_JsonEnvelope_HasConnectSchemaAndPayloadOnly()
    {
        var record = new WorkloadGenerator(new WorkloadOptions { Count = 1, KeyCount = 3, PayloadLength = 10 }).Generate().Single();

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
        var record = new WorkloadGenerator(new WorkloadOptions { Count = 1, Encoding = WorkloadEncoding.PlainJson }).Generate().Single();

        using var json = JsonDocument.Parse(record.ValueBytes);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("event_id", "key", "version", "seq", "payload");
        json.RootElement.GetProperty("key").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("version").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void ValueHash_Record_IsHashOfPayloadText()
    {
        var record = new WorkloadGenerator(new WorkloadOptions { Count = 1 }).Generate().Single();

        record.ValueHash.Should().Be(ValueHash.Compute(record.Payload));
    }

    [Fact]
    public void Generate_PayloadLength_SetsRecordSize()
    {
        var small = new WorkloadGenerator(new WorkloadOptions { Count = 1, PayloadLength = 10, Encoding = WorkloadEncoding.PlainJson }).Generate().Single();
        var large = new WorkloadGenerator(new WorkloadOptions { Count = 1, PayloadLength = 10_010, Encoding = WorkloadEncoding.PlainJson }).Generate().Single();

        (large.ValueBytes.Length - small.ValueBytes.Length).Should().Be(10_000);
    }
}
