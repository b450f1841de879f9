using SinkIdempotency.Assessment;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Tests.Assessment;

public sealed class DualRunOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedValues()
    {
        var options = new DualRunOptions();

        options.Workload.Records.Should().Be(1000);
        options.Workload.Partitions.Should().Be(3);
        options.StopBefore.Should().Be(600);
        options.Timeout.Should().Be(TimeSpan.FromSeconds(90));
        options.PollInterval.Should().Be(TimeSpan.FromMilliseconds(100));
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
        options.Invoking(o => o.Validate()).Should().NotThrow();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public void Validate_StopBeforeOutsideTheWorkload_ThrowsNamingIt(int stopBefore)
    {
        var options = new DualRunOptions { StopBefore = stopBefore };

        options.Invoking(o => o.Validate()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("StopBefore");
    }

    [Theory]
    [InlineData("upsert", "record_key", DeclaredSemantics.UpsertByKey)]
    [InlineData("UPSERT", "RECORD_KEY", DeclaredSemantics.UpsertByKey)]
    [InlineData("upsert", "kafka", DeclaredSemantics.ExactlyOnceEffect)]
    [InlineData("insert", "none", DeclaredSemantics.ExactlyOnceEffect)]
    public void SemanticsOf_Config_UpsertByKeyOnlyForUpsertOnTheRecordKey(string mode, string pk, DeclaredSemantics expected) =>
        DualRun.SemanticsOf(new Dictionary<string, string> { ["insert.mode"] = mode, ["pk.mode"] = pk }).Should().Be(expected);
}
