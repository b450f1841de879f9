using System.Reflection;
using SinkIdempotency.IntegrationTests.ForeignKafka;
using Xunit.v3;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Checks how the collection orderer counts test cases: inherited facts, theory rows, and classes that share a collection.</summary>
public sealed class MostTestsFirstCollectionOrdererTests
{
    private static readonly IReadOnlyDictionary<string, int> Counts = MostTestsFirstCollectionOrderer.CountCases();

    [Fact]
    public void CountCases_ClassWithOwnCollection_CountsEachFactAndEachTheoryRow() =>
        Counts[CollectionAttribute.GetCollectionNameForType(typeof(MostTestsFirstCollectionOrdererTests))].Should().Be(4, "this class has two facts and a theory of two rows");

    [Theory]
    [InlineData(typeof(EmbeddedKnownAnswerTests))]
    [InlineData(typeof(LibrdkafkaMockKnownAnswerTests))]
    public void CountCases_SubclassOfTheKnownAnswers_CountsTheInheritedFacts(Type type)
    {
        var inherited = Facts(typeof(KnownAnswerTests));

        inherited.Should().BePositive();
        Counts.Should().ContainKey(CollectionNameOf(type)).WhoseValue.Should().BeGreaterThanOrEqualTo(inherited);
    }

    [Fact]
    public void CountCases_ClassesSharingACollection_AddUpUnderItsName() =>
        Counts[CollectionNameOf(typeof(LibrdkafkaMockEnvironmentTests))].Should().Be(
            Facts(typeof(LibrdkafkaMockKnownAnswerTests)) + Facts(typeof(LibrdkafkaMockEnvironmentTests)),
            "the environment tests share the known answers' collection, and both classes' cases run in it");

    private static string CollectionNameOf(Type type) => MostTestsFirstCollectionOrderer.CollectionNameOf(type);

    private static int Facts(Type type) => type.GetMethods().Count(m => m.GetCustomAttribute<FactAttribute>() is not null);
}
