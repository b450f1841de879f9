using System.CommandLine;
using SinkIdempotency.Cli.ScenarioFiles;
using SinkIdempotency.Environments;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Cli.Reconcile;

/// <summary>
/// <c>sink-idempotency reconcile --topic T --table [SCHEMA.]TABLE [--group G] [--target CS] [--bootstrap-servers S] …</c>:
/// reads an existing pipeline's topic and table, read-only, and prints the verdict with the anomalies.
/// </summary>
internal static class ReconcileCommand
{
    public static Command Create(Func<ReconcileSettings, CancellationToken, Task<int>> execute)
    {
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = $"Kafka bootstrap servers, host:port[,host:port] (or {ExternalEnvironmentOptions.BootstrapServersVariable})." };
        var kafkaSetting = new Option<string[]>("--kafka-setting")
        {
            Description = $"A librdkafka setting, KEY=VALUE, e.g. security.protocol=SASL_SSL (repeat; or {ExternalEnvironmentOptions.KafkaSettingVariablePrefix}<KEY> variables, better for secrets).",
            Arity = ArgumentArity.OneOrMore,
        };
        kafkaSetting.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]?>() ?? [])
            {
                if (value.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    result.AddError("--kafka-setting needs KEY=VALUE, e.g. security.protocol=SASL_SSL.");
                }
            }
        });
        var topic = new Option<string>("--topic") { Description = "The pipeline's source topic; read from the earliest to the current end offsets.", Required = true };
        var group = new Option<string?>("--group") { Description = "The sink's consumer group (Kafka Connect: connect-<connector name>); without it a missing row is unseen, not lost." };
        var deadLetters = new Option<string?>("--dlq-topic") { Description = "The sink's dead-letter topic, if any." };
        var target = new Option<string?>("--target") { Description = $"Npgsql connection string of the target database (or {ExternalEnvironmentOptions.TargetVariable}); opened read-only." };
        var table = new Option<string>("--table") { Description = "The sink's table, [schema.]table (schema public by default).", Required = true };
        var eventIdColumn = new Option<string>("--event-id-column") { Description = "The column holding the event id.", DefaultValueFactory = _ => "event_id" };
        var keyColumn = new Option<string?>("--key-column") { Description = "The column holding the business key (for upsert-by-key)." };
        var versionColumn = new Option<string?>("--version-column") { Description = "The column holding the record version (for upsert-by-key)." };
        var payloadColumn = new Option<string?>("--payload-column") { Description = "A text column compared with the value's payload field (hash of its text)." };
        var hashColumn = new Option<string?>("--value-hash-column") { Description = "A bigint column holding the value hash, instead of --payload-column." };
        var topicColumn = new Option<string?>("--topic-column") { Description = "The column holding the source topic (with --partition-column and --offset-column)." };
        var partitionColumn = new Option<string?>("--partition-column") { Description = "The column holding the source partition." };
        var offsetColumn = new Option<string?>("--offset-column") { Description = "The column holding the source offset." };
        var where = new Option<string?>("--where") { Description = "An SQL condition restricting the rows read (a table shared by several pipelines)." };
        var eventIdField = new Option<string>("--event-id-field") { Description = "The field of the record value (JSON, Connect envelope unwrapped) holding the event id.", DefaultValueFactory = _ => "event_id" };
        var keyField = new Option<string?>("--key-field") { Description = "The value field holding the business key (default key; the record key when absent).", DefaultValueFactory = _ => "key" };
        var versionField = new Option<string?>("--version-field") { Description = "The value field holding the version.", DefaultValueFactory = _ => "version" };
        var payloadField = new Option<string?>("--payload-field") { Description = "The value field whose text --payload-column must equal.", DefaultValueFactory = _ => "payload" };
        var declared = new Option<string>("--declared") { Description = "The semantics the pipeline claims.", DefaultValueFactory = _ => "exactly-once-effect" };
        declared.AcceptOnlyFromAmong([.. ScenarioFile.SemanticsNames]);
        var output = new Option<string?>("--out", "-o") { Description = "Folder for reconcile.json (verdict, counts, anomalies with examples)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds each Kafka operation (reaching the broker, reading the topic to its end) may take.", DefaultValueFactory = _ => 30 };
        timeout.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is < 1 or > 3600)
            {
                result.AddError($"--timeout must be between 1 and 3600 seconds, not {value}.");
            }
        });

        var command = new Command("reconcile", "Reconcile an existing pipeline, read-only: a topic read back against its PostgreSQL table. Exit code 0: green or yellow; 1: red; 2: usage or environment error.")
        {
            bootstrap, kafkaSetting, topic, group, deadLetters, target, table, eventIdColumn, keyColumn, versionColumn, payloadColumn, hashColumn,
            topicColumn, partitionColumn, offsetColumn, where, eventIdField, keyField, versionField, payloadField, declared, output, timeout,
        };
        command.SetAction((parse, cancellationToken) => execute(
            new ReconcileSettings
            {
                BootstrapServers = parse.GetValue(bootstrap),
                KafkaSettings = (parse.GetValue(kafkaSetting) ?? []).Select(s => s.Split('=', 2)).GroupBy(p => p[0].Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal),
                Topic = parse.GetValue(topic)!,
                Group = parse.GetValue(group),
                DeadLetterTopic = parse.GetValue(deadLetters),
                Target = parse.GetValue(target),
                Table = parse.GetValue(table)!,
                EventIdColumn = parse.GetValue(eventIdColumn)!,
                KeyColumn = parse.GetValue(keyColumn),
                VersionColumn = parse.GetValue(versionColumn),
                PayloadColumn = parse.GetValue(payloadColumn),
                ValueHashColumn = parse.GetValue(hashColumn),
                TopicColumn = parse.GetValue(topicColumn),
                PartitionColumn = parse.GetValue(partitionColumn),
                OffsetColumn = parse.GetValue(offsetColumn),
                Where = parse.GetValue(where),
                EventIdField = parse.GetValue(eventIdField)!,
                KeyField = parse.GetValue(keyField),
                VersionField = parse.GetValue(versionField),
                PayloadField = parse.GetValue(payloadField),
                Declared = parse.GetValue(declared) switch
                {
                    "at-least-once" => DeclaredSemantics.AtLeastOnce,
                    "upsert-by-key" => DeclaredSemantics.UpsertByKey,
                    _ => DeclaredSemantics.ExactlyOnceEffect,
                },
                OutputDirectory = parse.GetValue(output),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            },
            cancellationToken));
        return command;
    }
}
