using SinkIdempotency.Cli.Matrix;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Faults;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Run;

public sealed class RunOrderTests
{
    [Fact]
    public void LongestFirst_BuiltInMatrix_StartsTheStallAndTheKillsBeforeTheCellsThatOnlyStreamAndSettle()
    {
        var entries = BuiltInMatrix.AllTargetEntries;

        var order = RunOrder.LongestFirst(entries, e => e).Select(e => e.Scenario.Fault!.Name).ToList();

        order.Should().HaveCount(entries.Count);
        order.Take(8).Should().AllBe("fetch-stall", "a 5 s stall is the longest wait of the matrix");
        order.TakeLast(16).Should().OnlyContain(name => name == "schema-break" || name == "offset-commit-refused", "they only stream and settle");
        order.IndexOf("replay").Should().BeLessThan(order.IndexOf("schema-break"), "a replay settles twice");
    }

    [Fact]
    public void LongestFirst_EqualEstimates_KeepTheMatrixOrder()
    {
        var entries = BuiltInMatrix.AllTargetEntries.Where(e => e.Scenario.Fault is SchemaBreak).ToList();

        RunOrder.LongestFirst(entries, e => e).Should().Equal(entries);
    }

    [Fact]
    public void Estimate_NoFault_IsTheStreamAtItsRateAndTheQuietPeriod()
    {
        var scenario = BuiltInMatrix.AllTargetEntries[0].Scenario.WithFault(null);

        RunOrder.Estimate(scenario).Should().Be(TimeSpan.FromSeconds(scenario.Workload.Records / scenario.Workload.RecordsPerSecond!.Value) + scenario.StableFor);
    }

    [Fact]
    public void Estimate_KillingFault_AddsTheSessionTimeoutTheKilledWorkersPartitionsWaitFor()
    {
        var scenario = BuiltInMatrix.AllTargetEntries[0].Scenario;

        RunOrder.Estimate(scenario.WithFault(new CrashAfterTargetWrite())).Should().Be(RunOrder.Estimate(scenario.WithFault(null)) + ReferenceMatrix.SessionTimeout);
    }
}
