using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Xunit;

/// <summary>Adds <c>Should()</c> to scenario results.</summary>
public static class SinkIdempotencyAssertionExtensions
{
    /// <summary>Starts assertions on a scenario result, for example <c>result.Should().BeGreen()</c>.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The assertions.</returns>
    public static ScenarioResultAssertions Should(this ScenarioResult result) => new(result);
}
