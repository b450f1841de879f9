using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Tests.Reconciliation;

public sealed class VerdictPolicyTests
{
    [Theory]
    [InlineData(DeclaredSemantics.ExactlyOnceEffect, "unseen,dead-lettered")]
    [InlineData(DeclaredSemantics.AtLeastOnce, "duplicated,unseen,dead-lettered")]
    [InlineData(DeclaredSemantics.UpsertByKey, "unseen,dead-lettered")]
    public void IsAllowed_EachSemantics_AllowsExactlyTheDocumentedKinds(DeclaredSemantics semantics, string allowed)
    {
        var actual = Enum.GetValues<AnomalyKind>().Where(k => VerdictPolicy.IsAllowed(semantics, k)).Select(k => k.ToName());

        actual.Should().Equal(allowed.Split(','));
    }

    [Fact]
    public void Grade_NoAnomaly_IsGreen() =>
        VerdictPolicy.Grade(DeclaredSemantics.ExactlyOnceEffect, [new(AnomalyKind.Lost, 0)]).Should().Be(Verdict.Green);

    [Fact]
    public void Grade_OnlyAllowedAnomalies_IsYellow() =>
        VerdictPolicy.Grade(DeclaredSemantics.AtLeastOnce, [new(AnomalyKind.Duplicated, 5), new(AnomalyKind.Unseen, 1)]).Should().Be(Verdict.Yellow);

    [Fact]
    public void Grade_AnyForbiddenAnomaly_IsRed() =>
        VerdictPolicy.Grade(DeclaredSemantics.AtLeastOnce, [new(AnomalyKind.Duplicated, 5), new(AnomalyKind.Stale, 1)]).Should().Be(Verdict.Red);

    [Fact]
    public void ParseAnomalyKind_EveryName_RoundTrips()
    {
        foreach (var kind in Enum.GetValues<AnomalyKind>())
        {
            AnomalyKindNames.ParseAnomalyKind(kind.ToName()).Should().Be(kind);
        }

        var act = () => AnomalyKindNames.ParseAnomalyKind("missing");
        act.Should().Throw<ArgumentException>().WithMessage(
            "'missing' is not an anomaly kind; use one of lost, duplicated, unexpected, stale, unseen, dead-lettered, silently-dropped.*");
    }
}
