using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Starts the test collections with the most test cases first, so the longest ones never start last and hold up the run alone.</summary>
/// <remarks>
/// Every test case here runs at least one scenario, so a collection's count of test cases stands for its length. A collection
/// none of whose classes is found (a naming rule of xUnit's that changed) counts zero and starts last: the order only saves
/// time, it never decides what runs. Ties keep the name order, so the order is the same on every run.
/// </remarks>
public sealed class MostTestsFirstCollectionOrderer : ITestCollectionOrderer
{
    private static readonly Lazy<IReadOnlyDictionary<string, int>> CasesByCollection = new(CountCases);

    /// <inheritdoc/>
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        [.. testCollections
            .OrderByDescending(c => CasesByCollection.Value.GetValueOrDefault(c.TestCollectionDisplayName))
            .ThenBy(c => c.TestCollectionDisplayName, StringComparer.Ordinal)];

    /// <summary>Counts the test cases of this assembly per collection name: one per fact, one per data row of a theory.</summary>
    /// <returns>The count of test cases by collection name.</returns>
    internal static IReadOnlyDictionary<string, int> CountCases()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var type in typeof(MostTestsFirstCollectionOrderer).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            var cases = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
                .Sum(m => Math.Max(1, m.GetCustomAttributes().OfType<IDataAttribute>().Count()));
            if (cases > 0)
            {
                var name = CollectionNameOf(type);
                counts[name] = counts.GetValueOrDefault(name) + cases;
            }
        }

        return counts;
    }

    /// <summary>Names the collection a test class runs in: the one its collection attribute names, else its own.</summary>
    /// <param name="type">The test class.</param>
    /// <returns>The collection's name, as xUnit shows it.</returns>
    internal static string CollectionNameOf(Type type) =>
        type.GetCustomAttributes().OfType<ICollectionAttribute>().FirstOrDefault()?.Name ?? CollectionAttribute.GetCollectionNameForType(type);
}
