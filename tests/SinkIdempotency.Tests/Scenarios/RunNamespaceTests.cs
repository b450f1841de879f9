using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Scenarios;

public sealed class RunNamespaceTests
{
    [Fact]
    public void Create_ScenarioName_NamesEveryResourceWithTheRunId()
    {
        var names = RunNamespace.Create("Orders: Upsert by key!", "ab12cd34");

        names.Slug.Should().Be("orders-upsert-by-key");
        names.Topic.Should().Be("si-ab12cd34-orders-upsert-by-key");
        names.DeadLetterTopic.Should().Be("si-ab12cd34-orders-upsert-by-key-dlq");
        names.Connector.Should().Be("si-ab12cd34-orders-upsert-by-key");
        names.GroupId.Should().Be("connect-si-ab12cd34-orders-upsert-by-key");
        names.Table.Should().Be("si_ab12cd34_orders_upsert_by_key");
    }

    [Fact]
    public void Owns_NamesOfOtherRuns_AreNotOwned()
    {
        var names = RunNamespace.Create("orders", "ab12cd34");

        names.Owns(names.Table).Should().BeTrue();
        names.Owns(names.DeadLetterTopic).Should().BeTrue();
        names.Owns("si-ffff0000-orders").Should().BeFalse();
        names.Owns("orders").Should().BeFalse();
    }

    [Fact]
    public void Create_LongName_KeepsTheTableWithinPostgreSqlIdentifierLimit()
    {
        var names = RunNamespace.Create(new string('x', 200), "0123456789abcdef");

        names.Table.Length.Should().BeLessThanOrEqualTo(63);
    }

    [Fact]
    public void Create_RandomRunIds_AreEightHexDigitsAndDiffer()
    {
        var a = RunNamespace.Create("orders");
        var b = RunNamespace.Create("orders");

        a.RunId.Should().MatchRegex("^[0-9a-f]{8}$");
        a.RunId.Should().NotBe(b.RunId);
    }

    [Theory]
    [InlineData("orders", "AB12")]
    [InlineData("orders", "ab1")]
    [InlineData("!!!", "ab12cd34")]
    public void Create_BadInput_ThrowsSayingWhatToChange(string name, string runId)
    {
        FluentActions.Invoking(() => RunNamespace.Create(name, runId)).Should().Throw<ArgumentException>();
    }
}
