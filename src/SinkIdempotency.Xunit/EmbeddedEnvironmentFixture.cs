using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Xunit;

/// <summary>Shares one embedded environment (in-process broker, Connect worker processes, local PostgreSQL, target fault proxy) across a collection.</summary>
/// <remarks>
/// Use it through <see cref="EmbeddedCollection"/> (<c>[Collection&lt;EmbeddedCollection&gt;]</c>), or derive from it and
/// override <see cref="SinkEnvironmentFixture{TBuilder, TEnvironment}.Configure"/> for other settings. The embedded
/// environment never skips: it needs nothing but this machine, so PostgreSQL binaries that cannot be found or run,
/// a worker that cannot be found or does not start, or any other start failure fails every test that uses it.
/// </remarks>
public class EmbeddedEnvironmentFixture : SinkEnvironmentFixture<EmbeddedEnvironmentBuilder, EmbeddedEnvironment>
{
    /// <summary>Gets the runner options: results under the test output folder, 10 ms polls.</summary>
    /// <value>Evidence in <c>sink-idempotency-results</c> next to the test assembly; a 10 ms poll interval (everything is local).</value>
    protected override ScenarioRunnerOptions RunnerOptions => new()
    {
        OutputDirectory = Path.Combine(AppContext.BaseDirectory, "sink-idempotency-results"),
        PollInterval = TimeSpan.FromMilliseconds(10),
    };

    /// <summary>Creates the builder the failure cases need: <see cref="ReferenceMatrix.EnvironmentBuilder()"/> (one worker, short offset flushes and session timeouts).</summary>
    /// <returns>The builder.</returns>
    protected override EmbeddedEnvironmentBuilder CreateBuilder() => ReferenceMatrix.EnvironmentBuilder();
}
