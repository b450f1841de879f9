using SinkIdempotency.Embedded;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Environments;

/// <summary>Checks that every "the environment, not the sink, is the problem" failure shares one base type, and that only the absent-by-design one is the skip type.</summary>
public sealed class EnvironmentUnavailableExceptionTests
{
    public static TheoryData<Exception> EnvironmentFailures() =>
    [
        new EnvironmentStartException("embedded", "PostgreSQL", new InvalidOperationException("initdb failed")),
        new LocalPostgreSqlException(LocalPostgreSqlFailure.BinariesNotFound, "PostgreSQL server binaries not found."),
        new ScenarioEnvironmentException("Connector did not reach RUNNING."),
        new ScenarioEnvironmentUnavailableException("Docker engine not reachable."),
    ];

    [Theory]
    [MemberData(nameof(EnvironmentFailures))]
    public void EnvironmentFailure_AnyKind_IsAnEnvironmentUnavailableException(Exception failure)
    {
        failure.Should().BeAssignableTo<EnvironmentUnavailableException>();
    }

    [Fact]
    public void BrokenSetup_StartOrPostgreSqlFailure_IsNotTheSkipType()
    {
        new EnvironmentStartException("embedded", "PostgreSQL", new IOException("disk full")).Should().NotBeAssignableTo<ScenarioEnvironmentUnavailableException>();
        new LocalPostgreSqlException("initdb failed").Should().NotBeAssignableTo<ScenarioEnvironmentUnavailableException>();
    }
}
