using System.Text;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>A failure case written the way a team writes one: in its own assembly, against the public API only.</summary>
public sealed class CustomFaultTests(EmbeddedEnvironmentFixture fixture) : IClassFixture<EmbeddedEnvironmentFixture>
{
    [Fact]
    public async Task CustomFault_StopAndResumeMidStreamWithUpsert_IsGreenWithItsActionsInTheEvidence()
    {
        var scenario = ReferenceMatrix.Make("custom/stop-and-resume", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new StopAndResume(rows: 200));

        var result = await fixture.RunAsync(scenario);

        result.Should().BeGreen().And.HaveInjectedTheFault();
        var actions = result.Evidence.OfType<FaultActionEvidence>().Where(a => a.Fault == "stop-and-resume").Select(a => a.Action);
        actions.Should().Equal("stop-connector", "resume-connector");
    }

    [Fact]
    public async Task CustomFault_PoisonRecordsOfItsOwn_AreDeadLetteredAndMatchedWithoutContextHeaders()
    {
        var scenario = ReferenceMatrix.Make("custom/xml-poison", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new XmlPoison())
            .WithConnectorSetting("errors.tolerance", "all")
            .WithConnectorSetting("errors.deadletterqueue.topic.name", "${dlq}");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeYellow().And.HaveInjectedTheFault().And.HaveDeadLettered(3).And.HaveNoLostRecords();
        result.Report!.UnmatchedDeadLetters.Should().Be(0);
    }

    /// <summary>Replaces three records with XML, which no JSON converter reads; the event id inside lets the runner find the dead letters.</summary>
    private sealed class XmlPoison : Fault
    {
        public override string Name => "xml-poison";

        public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.None;

        public override IReadOnlyList<PoisonRecord> PoisonRecords(ScenarioWorkload workload) =>
            [.. new[] { 0.25, 0.5, 0.75 }.Select(share => PoisonRecord.Custom((int)(share * workload.Records), r => Encoding.UTF8.GetBytes($"<event id=\"{r.EventId}\"/>")))];

        protected override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
        {
            var produced = await context.WaitUntilAsync(
                _ => Task.FromResult(context.Ledger.Snapshot().Count(e => e.Poison) == 3),
                TimeSpan.FromSeconds(60),
                cancellationToken);
            return new FaultOutcome(produced, produced ? "Produced 3 XML records." : "The XML records were not all produced.");
        }
    }

    /// <summary>Stops the connector once the target holds some rows, waits until its tasks are gone, then resumes it.</summary>
    private sealed class StopAndResume(long rows) : Fault
    {
        public override string Name => "stop-and-resume";

        public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.None;

        protected override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
        {
            var timeout = TimeSpan.FromSeconds(30);
            if (!await context.WaitUntilAsync(async ct => await context.CountTargetRowsAsync(ct) >= rows, timeout, cancellationToken))
            {
                return new FaultOutcome(false, $"The target never held {rows} row(s).");
            }

            await context.Environment.StopConnectorAsync(context.Names.Connector, cancellationToken);
            context.Record("stop-connector", $"Stopped {context.Names.Connector}.");
            var stopped = await context.WaitUntilAsync(
                async ct => (await context.Environment.GetConnectorAsync(context.Names.Connector, ct)).Tasks.Count == 0,
                timeout,
                cancellationToken);
            await context.Environment.ResumeConnectorAsync(context.Names.Connector, cancellationToken);
            context.Record("resume-connector", $"Resumed {context.Names.Connector}.");
            return stopped && await context.WaitForRunningAsync(timeout, cancellationToken)
                ? new FaultOutcome(true, "Stopped the connector mid-stream and resumed it.")
                : new FaultOutcome(false, "The connector did not stop and run again in time.");
        }
    }
}
