using SinkIdempotency.Targets;
using SinkIdempotency.Workload;
using static SinkIdempotency.Tests.Reconciliation.Records;

namespace SinkIdempotency.Tests.Targets;

public sealed class TargetProgressTests
{
    [Fact]
    public async Task CountRowsAheadOfCommitAsync_MixedRows_CountsRowsAtOrBeyondTheCommittedOffset()
    {
        var ledger = Sequence(10, 0).Concat(Sequence(4, 1)).ToList();
        var rows = new List<TargetRow>
        {
            new(ledger[6].EventId),                                   // partition 0 offset 6: committed 7 → behind
            new(ledger[7].EventId),                                   // offset 7 = committed offset → ahead
            new("other", Source: new SourcePosition(Topic, 0, 9)),    // stored position → ahead
            new(ledger[11].EventId),                                  // partition 1 offset 1, nothing committed → ahead
            new("unknown"),                                           // position unknown → not counted
        };

        var ahead = await new InMemoryTargetReader(rows).CountRowsAheadOfCommitAsync(
            Committed((0, 7)), ledger, TestContext.Current.CancellationToken);

        ahead.Should().Be(3);
    }
}
