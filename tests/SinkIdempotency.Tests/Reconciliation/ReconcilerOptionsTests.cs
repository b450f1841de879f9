using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Tests.Reconciliation;

public sealed class ReconcilerOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new ReconcilerOptions();

        options.MaxExamplesPerAnomaly.Should().Be(10);
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void Validate_NegativeExamples_Throws()
    {
        var act = () => new ReconcilerOptions { MaxExamplesPerAnomaly = -1 }.Validate();

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
