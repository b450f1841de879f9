using Npgsql;
using SinkIdempotency.Embedded;
using SinkIdempotency.Environments;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Reconcile;

/// <summary>Runs one real pipeline (embedded broker, worker, reference PostgreSQL sink with plain inserts) and leaves its topic, table and group in place, as a team's existing pipeline.</summary>
public sealed class ReconcilePipelineFixture : IAsyncLifetime
{
    public const int Records = 600;

    private readonly string _results = Path.Combine(Path.GetTempPath(), "si-reconcile-" + Guid.NewGuid().ToString("N")[..8]);

    public EmbeddedEnvironment? Cluster { get; private set; }

    public RunNamespace Names { get; private set; } = RunNamespace.Create("pipeline", "fixture0");

    public async ValueTask InitializeAsync()
    {
        // A cluster that cannot start (PostgreSQL is downloaded when the machine has none) is a broken setup: the tests fail.
        Cluster = await ReferenceMatrix.EnvironmentBuilder().StartAsync();

        var scenario = Scenario.Named("pipeline")
            .WithConnector(ReferenceMatrix.PlainInsert)
            .WithWorkload(w => w with { Records = Records, Partitions = 3, Keys = 50, RecordsPerSecond = 2000 })
            .WithTargetMapping(ReferenceMatrix.Mapping)
            .Declaring(DeclaredSemantics.ExactlyOnceEffect)
            .WithTimeouts(settle: TimeSpan.FromSeconds(60), stableFor: TimeSpan.FromMilliseconds(1500));
        var adapter = new SinkScenarioEnvironment(Cluster);
        await using (adapter)
        {
            var result = await new ScenarioRunner(adapter, new ScenarioRunnerOptions { OutputDirectory = _results, KeepResources = true, PollInterval = TimeSpan.FromMilliseconds(10) }).RunAsync(scenario);
            if (result.Verdict != Verdict.Green)
            {
                throw new InvalidOperationException($"The pipeline the reconcile tests read did not settle green: {result.Outcome}, {string.Join(" ", result.Reasons)}");
            }

            Names = RunNamespace.Create("pipeline", result.RunId);

            // The connector goes; its topic, table and committed offsets stay, as an existing pipeline's would.
            await adapter.DeleteConnectorAsync(Names.Connector);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Directory.Exists(_results))
        {
            Directory.Delete(_results, recursive: true);
        }
    }

    /// <summary>Copies the pipeline's table under a new name and runs SQL on the copy.</summary>
    public async Task<string> CopyTableAsync(string suffix, params string[] statements)
    {
        var copy = $"{Names.Table}_{suffix}";
        await using var connection = new NpgsqlConnection(Cluster!.PostgreSql.ConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE TABLE {copy} AS SELECT * FROM {Names.Table}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement.Replace("{table}", copy, StringComparison.Ordinal), connection);
            await command.ExecuteNonQueryAsync();
        }

        return copy;
    }

    public async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(Cluster!.PostgreSql.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
