using FluentAssertions;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;
using Xunit;

namespace OrdersSinkTests;

[Collection<EmbeddedCollection>]
public sealed class OrdersSinkFailureTests(EmbeddedEnvironmentFixture environment)
{
    private static readonly Dictionary<string, string> Sink = new()
    {
        ["connector.class"] = "SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector",
        ["auto.create"] = "true",
        ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        ["value.converter.schemas.enable"] = "true",
    };

    [Fact]
    public async Task Upsert_SurvivesACrashBetweenWriteAndCommit()
    {
        var result = await environment.RunAsync(Scenario.Named("orders-upsert-crash")
            .WithConnector(new Dictionary<string, string>(Sink) { ["insert.mode"] = "upsert", ["pk.mode"] = "kafka" })
            .WithWorkload(w => w with { Records = 1000, RecordsPerSecond = 500 })
            .WithFault(new CrashAfterTargetWrite())
            .Declaring(DeclaredSemantics.ExactlyOnceEffect));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Fact]
    public async Task PlainInsert_DuplicatesEveryRecordOnReplay()
    {
        var result = await environment.RunAsync(Scenario.Named("orders-insert-replay")
            .WithConnector(new Dictionary<string, string>(Sink) { ["insert.mode"] = "insert", ["pk.mode"] = "none" })
            .WithWorkload(w => w with { Records = 500, RecordsPerSecond = 500 })
            .WithFault(new Replay())
            .Declaring(DeclaredSemantics.ExactlyOnceEffect));

        // The harness must find the defect: a plain insert writes a replayed record twice.
        result.Should().BeRed().And.HaveInjectedTheFault();
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(500);
    }
}
