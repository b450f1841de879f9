using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>Appends records as JSON lines, one file per topic-partition, and reports which load context it runs in.</summary>
public sealed class LineSinkTask : SinkTask
{
    private string _directory = "";

    public override string Version => "0.1.0-test";

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _directory = config["line.directory"];
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public override async Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        var loadContext = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(LineSinkTask).Assembly)?.Name ?? "";
        foreach (var group in records.GroupBy(r => (r.OriginalTopic, r.OriginalKafkaPartition)))
        {
            var lines = new StringBuilder();
            foreach (var record in group)
            {
                var line = new JsonObject
                {
                    ["topic"] = record.OriginalTopic,
                    ["partition"] = record.OriginalKafkaPartition,
                    ["offset"] = record.OriginalKafkaOffset,
                    ["loadContext"] = loadContext,
                    ["value"] = record.Value?.DeepClone(),
                };
                lines.Append(line.ToJsonString()).Append('\n');
            }

            var path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{group.Key.OriginalTopic}+{group.Key.OriginalKafkaPartition}.jsonl"));
            await File.AppendAllTextAsync(path, lines.ToString(), cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
