using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Targets;

public sealed class TargetChecksumTests
{
    private static readonly TargetRow[] Rows =
    [
        new("a", "k1", 1, 10, new SourcePosition("t", 0, 0)),
        new("b", "k2", 2, 20),
        new("c"),
    ];

    [Fact]
    public void Summarize_AnyOrder_GivesTheSameChecksum()
    {
        TargetChecksum.Summarize(Rows).Should().Be(TargetChecksum.Summarize(Rows.Reverse()));
        TargetChecksum.Summarize(Rows).RowCount.Should().Be(3);
    }

    [Fact]
    public void Summarize_DuplicatedRow_ChangesTheChecksum()
    {
        TargetChecksum.Summarize(Rows.Append(Rows[1])).Checksum.Should().NotBe(TargetChecksum.Summarize(Rows).Checksum);
        TargetChecksum.Summarize([Rows[0], Rows[0]]).Checksum.Should().NotBe(0UL, "unlike XOR, a pair of equal rows does not cancel out");
    }

    [Fact]
    public void HashRow_AnyFieldChanged_ChangesTheHash()
    {
        var row = Rows[0];
        var variants = new[]
        {
            row with { EventId = "a2" }, row with { Key = null }, row with { Version = 2 }, row with { ValueHash = 11 },
            row with { Source = null }, row with { Source = new SourcePosition("t", 0, 1) },
        };

        variants.Select(v => TargetChecksum.HashRow(v)).Should().OnlyHaveUniqueItems().And.NotContain(TargetChecksum.HashRow(row));
    }
}
