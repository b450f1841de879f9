using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Npgsql;
using SinkIdempotency.Connect;
using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Cli.Reconcile;

/// <summary>Executes <c>sink-idempotency reconcile</c>: reads the topic back into a ledger, reads the table, reconciles, prints the verdict and anomalies.</summary>
/// <remarks>
/// Read-only on both sides: the topic is read with assigned partitions and no commit (no consumer group joins or commits),
/// and the table through a session whose transactions are read-only (<c>default_transaction_read_only</c>).
/// Exit codes: 0 green or yellow, 1 red, 2 usage or environment error.
/// </remarks>
internal sealed class ReconcileExecution(TextWriter output, TextWriter error, Func<IReadOnlyDictionary<string, string>> getVariables)
{
    /// <summary>The file <c>--out</c> receives.</summary>
    public const string OutputFile = "reconcile.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<int> ExecuteAsync(ReconcileSettings settings, CancellationToken cancellationToken)
    {
        ExternalEnvironmentOptions variables;
        try
        {
            variables = ExternalEnvironmentOptions.FromEnvironmentVariables(getVariables());
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var bootstrap = settings.BootstrapServers ?? variables.BootstrapServers;
        var kafkaSettings = new Dictionary<string, string>(variables.KafkaSettings, StringComparer.Ordinal);
        foreach (var (key, value) in settings.KafkaSettings)
        {
            kafkaSettings[key] = value;
        }

        var target = settings.Target ?? variables.TargetConnectionString;
        var (mapping, problems) = Validate(settings, bootstrap, target);
        if (problems.Count > 0)
        {
            await error.WriteLineAsync("reconcile cannot start:").ConfigureAwait(false);
            foreach (var problem in problems)
            {
                await error.WriteLineAsync("  " + SecretRedactor.RedactText(problem)).ConfigureAwait(false);
            }

            return ExitCodes.UsageError;
        }

        var readOnly = new NpgsqlConnectionStringBuilder(target)
        {
            Timeout = Math.Max(1, (int)settings.Timeout.TotalSeconds),
            Options = "-c default_transaction_read_only=on",
        };
        var dataSource = NpgsqlDataSource.Create(readOnly.ConnectionString);
        await using (dataSource.ConfigureAwait(false))
        {
            try
            {
                if (await CheckTableAsync(dataSource, mapping!, readOnly, cancellationToken).ConfigureAwait(false) is { } tableProblem)
                {
                    await error.WriteLineAsync(SecretRedactor.RedactText(tableProblem)).ConfigureAwait(false);
                    return ExitCodes.UsageError;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                await error.WriteLineAsync(SecretRedactor.RedactText($"PostgreSQL at {readOnly.Host}:{readOnly.Port.ToString(CultureInfo.InvariantCulture)} (database {readOnly.Database ?? "(default)"}) is not reachable: {ex.Message} Check --target (or {ExternalEnvironmentOptions.TargetVariable}).")).ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            using var probe = new KafkaProbe(new KafkaEndpoint(bootstrap!, kafkaSettings), new KafkaProbeOptions { OperationTimeout = settings.Timeout });
            TopicLedger ledger;
            IReadOnlyDictionary<SourcePartition, long> committed;
            IReadOnlyList<DeadLetterRecord> deadLetters;
            try
            {
                ledger = await probe.ReadTopicLedgerAsync(settings.Topic, JsonMapping(settings), cancellationToken).ConfigureAwait(false);
                committed = settings.Group is null
                    ? new Dictionary<SourcePartition, long>()
                    : (await probe.GetCommittedOffsetsAsync(settings.Group, cancellationToken).ConfigureAwait(false)).Where(p => p.Key.Topic == settings.Topic).ToDictionary(p => p.Key, p => p.Value);
                deadLetters = settings.DeadLetterTopic is null
                    ? []
                    : [.. (await probe.ReadDeadLetterTopicAsync(settings.DeadLetterTopic, cancellationToken).ConfigureAwait(false)).Select(r => r.ToDeadLetterRecord()).OfType<DeadLetterRecord>()];
            }
            catch (Exception ex) when (ex is KafkaException or InvalidOperationException or TimeoutException or ArgumentException)
            {
                await error.WriteLineAsync(SecretRedactor.RedactText(KafkaProblem(ex, bootstrap!, settings))).ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            ReconciliationReport report;
            try
            {
                report = await new Reconciler().ReconcileAsync(
                    new ReconciliationInput { Ledger = ledger.Entries, Semantics = settings.Declared, CommittedOffsets = committed, DeadLetters = deadLetters },
                    new PostgreSqlTableReader(dataSource, mapping!),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                await error.WriteLineAsync(SecretRedactor.RedactText($"Reading {mapping!.Schema}.{mapping.Table} failed: {ex.Message} Check the column options (--event-id-column …) and --where.")).ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            await PrintAsync(settings, ledger, committed, report).ConfigureAwait(false);
            if (settings.OutputDirectory is { } folder)
            {
                try
                {
                    Directory.CreateDirectory(folder);
                    var path = Path.Combine(folder, OutputFile);
                    await File.WriteAllTextAsync(path, SecretRedactor.RedactText(ToJson(settings, ledger, committed, report)), CancellationToken.None).ConfigureAwait(false);
                    await output.WriteLineAsync($"Report: {path}").ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    await error.WriteLineAsync($"Cannot write {OutputFile} to '{folder}': {ex.Message} Choose another folder with --out.").ConfigureAwait(false);
                    return ExitCodes.UsageError;
                }
            }

            return report.Verdict == Verdict.Red ? ExitCodes.Red : ExitCodes.Ok;
        }
    }

    private static (PostgreSqlTableMapping? Mapping, List<string> Problems) Validate(ReconcileSettings settings, string? bootstrap, string? target)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            problems.Add($"No Kafka bootstrap servers: pass --bootstrap-servers or set {ExternalEnvironmentOptions.BootstrapServersVariable}.");
        }

        if (string.IsNullOrWhiteSpace(target))
        {
            problems.Add($"No target database: pass --target or set {ExternalEnvironmentOptions.TargetVariable} to an Npgsql connection string (Host=…;Database=…;Username=…;Password=…).");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(target);
            }
            catch (ArgumentException)
            {
                problems.Add("--target is not an Npgsql connection string (Host=…;Port=…;Database=…;Username=…;Password=…).");
            }
        }

        var dot = settings.Table.IndexOf('.', StringComparison.Ordinal);
        var mapping = new PostgreSqlTableMapping
        {
            Schema = dot > 0 ? settings.Table[..dot] : "public",
            Table = dot > 0 ? settings.Table[(dot + 1)..] : settings.Table,
            EventIdColumn = settings.EventIdColumn,
            KeyColumn = settings.KeyColumn,
            VersionColumn = settings.VersionColumn,
            PayloadColumn = settings.PayloadColumn,
            ValueHashColumn = settings.ValueHashColumn,
            TopicColumn = settings.TopicColumn,
            PartitionColumn = settings.PartitionColumn,
            OffsetColumn = settings.OffsetColumn,
            Filter = settings.Where,
        };
        try
        {
            mapping.Validate();
        }
        catch (ArgumentException ex)
        {
            problems.Add(ex.Message.Replace("ValueHashColumn", "--value-hash-column", StringComparison.Ordinal).Replace("PayloadColumn", "--payload-column", StringComparison.Ordinal));
        }

        return (mapping, problems);
    }

    private static async Task<string?> CheckTableAsync(NpgsqlDataSource dataSource, PostgreSqlTableMapping mapping, NpgsqlConnectionStringBuilder where, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = mapping.Schema });
            command.Parameters.Add(new NpgsqlParameter { Value = mapping.Table });
            var columns = new List<string>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    columns.Add(reader.GetString(0));
                }
            }

            if (columns.Count == 0)
            {
                return $"The table {mapping.Schema}.{mapping.Table} does not exist in database {where.Database ?? "(default)"} on {where.Host}, or user {where.Username ?? "(default)"} cannot see it. Check --table ([schema.]table) and --target.";
            }

            var wanted = new (string Option, string? Column)[]
            {
                ("--event-id-column", mapping.EventIdColumn),
                ("--key-column", mapping.KeyColumn),
                ("--version-column", mapping.VersionColumn),
                ("--payload-column", mapping.PayloadColumn),
                ("--value-hash-column", mapping.ValueHashColumn),
                ("--topic-column", mapping.TopicColumn),
                ("--partition-column", mapping.PartitionColumn),
                ("--offset-column", mapping.OffsetColumn),
            };
            var missing = wanted.Where(w => w.Column is not null && !columns.Contains(w.Column, StringComparer.Ordinal)).ToList();
            return missing.Count == 0
                ? null
                : $"The table {mapping.Schema}.{mapping.Table} has no column {string.Join(", ", missing.Select(m => $"'{m.Column}' ({m.Option})"))}; its columns are: {string.Join(", ", columns)}.";
        }
    }

    private static string KafkaProblem(Exception ex, string bootstrap, ReconcileSettings settings) => ex switch
    {
        InvalidOperationException when ex.InnerException is Confluent.Kafka.Admin.DescribeTopicsException missing
                && missing.Results.TopicDescriptions.Any(t => t.Error.Code == ErrorCode.UnknownTopicOrPart) =>
            $"The topic '{settings.Topic}' does not exist on {bootstrap}: {ex.Message} Check --topic.",
        KafkaException or TimeoutException =>
            $"Kafka at {bootstrap} did not answer within {settings.Timeout.TotalSeconds:0.#} s ({ex.Message}). Check --bootstrap-servers (or {ExternalEnvironmentOptions.BootstrapServersVariable}) and the security settings (security.protocol, sasl.*, ssl.*).",
        _ => $"Reading the topic '{settings.Topic}' on {bootstrap} failed: {ex.Message}",
    };

    private static JsonValueMapping JsonMapping(ReconcileSettings settings) => new()
    {
        EventIdField = settings.EventIdField,
        KeyField = settings.KeyField,
        VersionField = settings.VersionField,
        HashedField = settings.PayloadField,
    };

    private async Task PrintAsync(ReconcileSettings settings, TopicLedger ledger, IReadOnlyDictionary<SourcePartition, long> committed, ReconciliationReport report)
    {
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Topic {settings.Topic}: {ledger.Records} record(s) in {ledger.EndOffsets.Count} partition(s), end offsets {Offsets(ledger.EndOffsets)}.")).ConfigureAwait(false);
        await output.WriteLineAsync(settings.Group is null
            ? "No --group given: a record missing from the table counts as unseen (maybe not processed yet), not lost."
            : committed.Count == 0
                ? $"Group {settings.Group} has no committed offset for {settings.Topic}: a record missing from the table counts as unseen, not lost."
                : $"Group {settings.Group} committed {Offsets(committed)}.").ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Target {report.Target}: {report.TargetRows} row(s); declared {settings.Declared.ToName()}.")).ConfigureAwait(false);
        if (ledger.Unidentified.Count > 0 || ledger.RepeatedEventIds.Count > 0)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Not reconciled: {ledger.Unidentified.Count} record(s) without an event id (field '{settings.EventIdField}'), {ledger.RepeatedEventIds.Count} record(s) repeating an earlier event id.")).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Verdict: {report.Verdict.ToName()}").ConfigureAwait(false);
        foreach (var anomaly in report.Anomalies.Where(a => a.Count > 0))
        {
            var example = anomaly.Examples.Count > 0 ? "  e.g. " + ScenarioResult.FormatExample(anomaly.Examples[0]) : string.Empty;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {anomaly.Kind.ToName(),-17} {anomaly.Count,8} ({(anomaly.Allowed ? "allowed" : "forbidden")}){example}")).ConfigureAwait(false);
        }

        if (report.Anomalies.All(a => a.Count == 0))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  no anomaly: {report.InTarget} of {report.Produced} event(s) in the target")).ConfigureAwait(false);
        }
    }

    private static string ToJson(ReconcileSettings settings, TopicLedger ledger, IReadOnlyDictionary<SourcePartition, long> committed, ReconciliationReport report)
    {
        var json = new JsonObject
        {
            ["command"] = "reconcile",
            ["topic"] = settings.Topic,
            ["group"] = settings.Group,
            ["deadLetterTopic"] = settings.DeadLetterTopic,
            ["declared"] = settings.Declared.ToName(),
            ["verdict"] = report.Verdict.ToName(),
            ["topicRecords"] = ledger.Records,
            ["endOffsets"] = Partitions(ledger.EndOffsets),
            ["committedOffsets"] = Partitions(committed),
            ["unidentifiedRecords"] = ledger.Unidentified.Count,
            ["repeatedEventIds"] = ledger.RepeatedEventIds.Count,
            ["report"] = JsonNode.Parse(ReconciliationReportJson.ToJson(report)),
        };
        return json.ToJsonString(Indented);
    }

    private static JsonObject Partitions(IReadOnlyDictionary<SourcePartition, long> offsets)
    {
        var json = new JsonObject();
        foreach (var (partition, offset) in offsets.OrderBy(p => p.Key.Partition))
        {
            json[partition.Partition.ToString(CultureInfo.InvariantCulture)] = offset;
        }

        return json;
    }

    private static string Offsets(IReadOnlyDictionary<SourcePartition, long> offsets) =>
        string.Join(" ", offsets.OrderBy(p => p.Key.Partition).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key.Partition}:{p.Value}")));
}
