using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Scenarios.Support;

/// <summary>Builds scenarios and runner options for the simulated cluster.</summary>
internal static class ScenarioFixtures
{
    public static readonly IReadOnlyDictionary<string, string> Insert = new Dictionary<string, string>
    {
        ["connector.class"] = "SimulatedPostgreSqlSink",
        ["insert.mode"] = "insert",
        ["pk.mode"] = "none",
    };

    public static readonly IReadOnlyDictionary<string, string> Upsert = new Dictionary<string, string>
    {
        ["connector.class"] = "SimulatedPostgreSqlSink",
        ["insert.mode"] = "upsert",
        ["pk.mode"] = "record_key",
    };

    public static Scenario Make(string name, IReadOnlyDictionary<string, string> connector, DeclaredSemantics semantics, int records = 600) =>
        Scenario.Named(name)
            .WithConnector(connector)
            .WithWorkload(w => w with { Records = records, Partitions = 3, Keys = 50 })
            .Declaring(semantics)
            .WithTimeouts(settle: TimeSpan.FromSeconds(20), stableFor: TimeSpan.FromMilliseconds(300));

    public static ScenarioRunnerOptions Options(string folder) => new()
    {
        OutputDirectory = folder,
        PollInterval = TimeSpan.FromMilliseconds(5),
        SampleInterval = TimeSpan.FromMilliseconds(50),
    };
}
