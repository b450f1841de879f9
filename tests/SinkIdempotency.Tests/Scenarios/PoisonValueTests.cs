using System.Text;
using System.Text.Json.Nodes;
using SinkIdempotency.Faults;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Scenarios;

public sealed class PoisonValueTests
{
    private static readonly ScenarioWorkload Workload = new() { PayloadSize = 8 };

    private static readonly WorkloadRecord Record = new(42, "5d2b3c4a-0000-4000-8000-00000000002a", "key-3", 7, "abcdefgh", Encoding.UTF8.GetBytes("key-3"), []);

    [Fact]
    public void PoisonValue_TooLongForColumn_ConvertsWithAPayloadOneLongerThanTheColumn()
    {
        var envelope = Parse(PoisonKind.TooLongForColumn, Workload);

        envelope["payload"]!["payload"]!.GetValue<string>().Should().HaveLength(9);
        envelope["payload"]!["event_id"]!.GetValue<string>().Should().Be(Record.EventId);
        Field(envelope, "payload")["optional"]!.GetValue<bool>().Should().BeFalse();
        TargetPoison.Alterations([PoisonKind.TooLongForColumn], Workload).Should().Equal("ALTER COLUMN \"payload\" TYPE varchar(8)");
    }

    [Fact]
    public void PoisonValue_NullInNotNullColumn_DeclaresThePayloadOptionalAndCarriesNull()
    {
        var envelope = Parse(PoisonKind.NullInNotNullColumn, Workload);

        envelope["payload"]!.AsObject().ContainsKey("payload").Should().BeTrue();
        envelope["payload"]!["payload"].Should().BeNull();
        Field(envelope, "payload")["optional"]!.GetValue<bool>().Should().BeTrue("JsonConverter accepts a null only in an optional field, so the record converts");
    }

    [Fact]
    public void PoisonValue_OutOfRangeNumber_CarriesASequenceBeyond32Bits()
    {
        var envelope = Parse(PoisonKind.OutOfRangeNumber, Workload);

        envelope["payload"]!["seq"]!.GetValue<long>().Should().Be(3_000_000_042).And.BeGreaterThan(int.MaxValue);
        Field(envelope, "seq")["type"]!.GetValue<string>().Should().Be("int64");
    }

    [Fact]
    public void PoisonValue_PlainJsonWorkload_WritesPlainFields()
    {
        var plain = JsonNode.Parse(PoisonValue.Encode(Record, PoisonKind.NullInNotNullColumn, Workload with { Format = RecordFormat.PlainJson }))!;

        plain.AsObject().Select(p => p.Key).Should().Equal("event_id", "key", "version", "seq", "payload");
        plain["payload"].Should().BeNull();
    }

    [Fact]
    public void PoisonValue_TypeChange_CarriesTextWhereTheSchemaSaysInt64()
    {
        var envelope = Parse(PoisonKind.TypeChange, Workload with { SchemaName = "orders.Order" });

        envelope["payload"]!["version"]!.GetValue<string>().Should().Be("v7");
        Field(envelope, "version")["type"]!.GetValue<string>().Should().Be("int64");
        envelope["schema"]!["name"]!.GetValue<string>().Should().Be("orders.Order", "the poison carries the workload's schema name, so only the field type differs");
        envelope["payload"]!["event_id"]!.GetValue<string>().Should().Be(Record.EventId);
    }

    [Fact]
    public void PoisonValue_MissingEnvelope_IsThePlainFieldsOfTheRecord()
    {
        var plain = Parse(PoisonKind.MissingEnvelope, Workload);

        plain.AsObject().Select(p => p.Key).Should().Equal("event_id", "key", "version", "seq", "payload");
        plain["version"]!.GetValue<long>().Should().Be(7);
        plain["payload"]!.GetValue<string>().Should().Be(Record.Payload);
    }

    [Fact]
    public void PoisonValue_GarbageBytes_IsNotUtf8JsonButCarriesTheEventId()
    {
        var bytes = PoisonValue.Encode(Record, PoisonKind.GarbageBytes, Workload);

        bytes[0].Should().Be(0xFF);
        Encoding.ASCII.GetString(bytes).Should().EndWith(" " + Record.EventId);
    }

    [Fact]
    public void Alterations_AllTargetKinds_AreInAStableOrderAndOnlyForThoseKinds()
    {
        TargetPoison.Alterations([PoisonKind.OutOfRangeNumber, PoisonKind.TypeChange, PoisonKind.NullInNotNullColumn, PoisonKind.TooLongForColumn], new ScenarioWorkload { PayloadSize = 0 })
            .Should().Equal("ALTER COLUMN \"payload\" TYPE varchar(1)", "ALTER COLUMN \"payload\" SET NOT NULL", "ALTER COLUMN \"seq\" TYPE integer");
        TargetPoison.Alterations([PoisonKind.GarbageBytes], Workload).Should().BeEmpty();
    }

    [Theory]
    [InlineData(PoisonKind.TooLongForColumn, true)]
    [InlineData(PoisonKind.NullInNotNullColumn, true)]
    [InlineData(PoisonKind.OutOfRangeNumber, true)]
    [InlineData(PoisonKind.TypeChange, false)]
    [InlineData(PoisonKind.GarbageBytes, false)]
    public void FailsAtTarget_Kind_IsTrueForTheKindsThatConvert(PoisonKind kind, bool expected) =>
        new PoisonRecord(0, kind).FailsAtTarget.Should().Be(expected);

    [Fact]
    public void Custom_ValueFunction_WritesTheGivenBytes()
    {
        var poison = PoisonRecord.Custom(3, r => Encoding.UTF8.GetBytes("<x id=\"" + r.EventId + "\"/>"));

        poison.Kind.Should().Be(PoisonKind.Custom);
        Encoding.UTF8.GetString(poison.Value!(Record)).Should().Be("<x id=\"5d2b3c4a-0000-4000-8000-00000000002a\"/>");
        FluentActions.Invoking(() => poison.Validate(Workload)).Should().NotThrow();
    }

    [Fact]
    public void Validate_KindAndValueThatDisagree_Throw()
    {
        FluentActions.Invoking(() => new PoisonRecord(1, PoisonKind.Custom).Validate(Workload))
            .Should().Throw<ArgumentException>().WithMessage("Poison record 1: a Custom poison record needs a Value function; create it with PoisonRecord.Custom.");
        FluentActions.Invoking(() => (new PoisonRecord(1, PoisonKind.TypeChange) { Value = _ => [] }).Validate(Workload))
            .Should().Throw<ArgumentException>().WithMessage("Poison record 1: a TypeChange poison record takes no Value function; use PoisonKind.Custom.");
    }

    [Fact]
    public void SchemaBreakOptions_CustomKind_IsRejected() =>
        FluentActions.Invoking(() => new SchemaBreak(new SchemaBreakOptions { Kind = PoisonKind.Custom }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Kind");

    private static JsonNode Parse(PoisonKind kind, ScenarioWorkload workload) =>
        JsonNode.Parse(PoisonValue.Encode(Record, kind, workload))!;

    private static JsonNode Field(JsonNode envelope, string name) =>
        envelope["schema"]!["fields"]!.AsArray().Single(f => f!["field"]!.GetValue<string>() == name)!;
}
