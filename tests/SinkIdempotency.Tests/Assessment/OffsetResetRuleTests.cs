using SinkIdempotency.Assessment;
using SinkIdempotency.Environments;

namespace SinkIdempotency.Tests.Assessment;

public sealed class OffsetResetRuleTests
{
    private static readonly string[] Ops = ["User:ops"];

    [Theory]
    [InlineData(EnvironmentCapabilities.OffsetsApi | EnvironmentCapabilities.ConsumerGroupReset, AssessmentStatus.Green)]
    [InlineData(EnvironmentCapabilities.OffsetsApi, AssessmentStatus.Green)]
    [InlineData(EnvironmentCapabilities.ConsumerGroupReset, AssessmentStatus.Yellow)]
    [InlineData(EnvironmentCapabilities.None, AssessmentStatus.Red)]
    public void EvaluatePath_Capabilities_GreenOnlyWithTheOffsetsApi(EnvironmentCapabilities capabilities, AssessmentStatus expected)
    {
        var row = OffsetResetRule.EvaluatePath(capabilities);

        row.Status.Should().Be(expected);
        row.Title.Should().Be("Kafka layer: offset reset");
    }

    [Fact]
    public void EvaluateRights_NoPrincipalsDeclared_NotAssessed()
    {
        var row = OffsetResetRule.EvaluateRights([], [], [new GroupAcl("User:ops", "*", false, "READ", true)], null);

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Contain("names no offsets.resetPrincipals");
    }

    [Fact]
    public void EvaluateRights_NoAcls_NotAssessedWithTheClustersReasonNeverGreen()
    {
        var row = OffsetResetRule.EvaluateRights(Ops, [], null, "the cluster refused DescribeAcls (SecurityDisabled)");

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Be("Offset-reset rights not assessed: the cluster refused DescribeAcls (SecurityDisabled).");
    }

    [Fact]
    public void EvaluateRights_EmptyAclList_NotAssessed()
    {
        var row = OffsetResetRule.EvaluateRights(Ops, [], [], null);

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
    }

    [Theory]
    [InlineData("User:ops", "connect-", true, "READ")]
    [InlineData("User:ops", "connect-orders-sink", false, "READ")]
    [InlineData("User:ops", "*", false, "ALL")]
    [InlineData("User:*", "connect-orders", true, "READ")]
    public void EvaluateRights_PrincipalAllowedReadOnTheGroup_IsGreen(string principal, string resource, bool prefixed, string operation)
    {
        var row = OffsetResetRule.EvaluateRights(Ops, ["orders-sink"], [new GroupAcl(principal, resource, prefixed, operation, true)], null);

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Figure("deniedPrincipalGroups")!.Value.Should().Be(0);
    }

    [Theory]
    [InlineData("User:other", "connect-", true, "READ", true)]
    [InlineData("User:ops", "connect-orders", false, "READ", true)]
    [InlineData("User:ops", "connect-", true, "DESCRIBE", true)]
    [InlineData("User:ops", "legacy-", true, "READ", true)]
    public void EvaluateRights_NoMatchingAllow_IsRedNamingPrincipalAndGroup(string principal, string resource, bool prefixed, string operation, bool allow)
    {
        var row = OffsetResetRule.EvaluateRights(Ops, ["orders-sink"], [new GroupAcl(principal, resource, prefixed, operation, allow)], null);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("User:ops on connect-orders-sink");
    }

    [Fact]
    public void EvaluateRights_DenyBesideAllow_DenyWins()
    {
        GroupAcl[] acls = [new("User:ops", "connect-", true, "READ", true), new("User:ops", "connect-orders-sink", false, "READ", false)];

        var row = OffsetResetRule.EvaluateRights(Ops, ["orders-sink"], acls, null);

        row.Status.Should().Be(AssessmentStatus.Red);
    }

    [Fact]
    public void EvaluateRights_NoConnectorNames_ChecksTheConnectPrefixAsAWhole()
    {
        var row = OffsetResetRule.EvaluateRights(Ops, [], [new GroupAcl("User:ops", "connect-orders", false, "READ", true)], null);

        row.Status.Should().Be(AssessmentStatus.Red, "an ACL on one literal group does not cover every connector group");
        row.Summary.Should().Contain("User:ops on connect-* groups");
    }
}
