using System.Text.Json.Nodes;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.Tests.Support;

namespace SinkIdempotency.Cli.Tests.Run;

/// <summary>A team's own .NET sink, loaded by the command line into real embedded workers and graded against its known answer.</summary>
public sealed class PluginEndToEndTests : IDisposable
{
    // A test sink that buffers records and lets their offsets be committed before it writes them: the loss-window
    // crash must catch it (tests/SinkIdempotency.TestPlugin/Window/CommitFirstSinkTask.cs).
    private const string CommitFirstScenario = """
        name: team-sink/commit-first
        connector:
          config:
            connector.class: SinkIdempotency.TestPlugin.Window.CommitFirstSinkConnector
            key.converter: org.apache.kafka.connect.storage.StringConverter
            value.converter: org.apache.kafka.connect.json.JsonConverter
            value.converter.schemas.enable: true
        declared: exactly-once-effect
        fault: { kind: crash-after-offset-commit }
        target:
          eventIdColumn: event_id
          keyColumn: key
          versionColumn: version
          payloadColumn: payload
          topicColumn: topic
          partitionColumn: kafka_partition
          offsetColumn: kafka_offset
          filter: visible
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_PluginPathWithATeamsSinkThatCommitsBeforeWriting_IsRedWithLostRecords()
    {
        var plugin = Path.Combine(AppContext.BaseDirectory, "plugins", "test-plugin");
        Directory.Exists(plugin).Should().BeTrue("the test project copies the test plugin there");
        var file = Path.Combine(_folder.Path, "commit-first.yaml");
        await File.WriteAllTextAsync(file, CommitFirstScenario, TestContext.Current.CancellationToken);
        var outDir = Path.Combine(_folder.Path, "out");

        var (code, output, error) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--scenario", file, "--plugin-path", plugin, "--out", outDir);

        code.Should().Be(ExitCodes.Red, output + error);
        output.Should().MatchRegex(@"red: \d+ lost");
        var scenario = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")))!["scenarios"]!.AsArray().Should().ContainSingle().Subject!;
        scenario["verdict"]!.GetValue<string>().Should().Be("red");
        scenario["outcome"]!.GetValue<string>().Should().Be("Settled", "the kill landed inside the loss window, and the sink's loss is what makes it red");
        var evidence = File.ReadAllText(Directory.EnumerateFiles(Path.Combine(outDir, "evidence"), "*.json").Single());
        evidence.Should().Contain("SinkIdempotency.TestPlugin.Window.CommitFirstSinkConnector");
    }
}
