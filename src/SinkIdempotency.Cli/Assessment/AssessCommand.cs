using System.CommandLine;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Environments;

namespace SinkIdempotency.Cli.Assessment;

/// <summary>
/// <c>sink-idempotency assess FILE [--env embedded|docker|external] [--out DIR] [--bootstrap-servers S] [--kafka-setting K=V]… [--kafka-label NAME]</c>:
/// grades an assessment file's scorecard from measurements; <c>assess --compare A.json B.json</c> prints two of them side by side.
/// </summary>
internal static class AssessCommand
{
    public static Command Create(Func<string, RunSettings, CancellationToken, Task<int>> execute, Func<string, string, CancellationToken, Task<int>> compare)
    {
        var file = new Argument<string?>("file") { Description = "The assessment file (YAML, see docs/assessment.md).", Arity = ArgumentArity.ZeroOrOne };
        var compareFiles = new Option<string[]>("--compare")
        {
            Description = "Print two assessment.json files side by side instead of running: row by row status and figures, and which differ. Exit code 0: same status on every row; 1: a row differs; 2: a file cannot be read.",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var environment = new Option<string>("--env", "-e")
        {
            Description = "Where to run: embedded (this machine, no Docker), docker (Testcontainers) or external (your cluster).",
            DefaultValueFactory = _ => "embedded",
        };
        environment.AcceptOnlyFromAmong("embedded", "docker", "external");
        var output = new Option<string?>("--out", "-o") { Description = "Folder for assessment.md, assessment.json and evidence/." };
        output.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && string.IsNullOrWhiteSpace(value))
            {
                result.AddError("--out needs a folder path.");
            }
        });
        var bootstrap = new Option<string?>("--bootstrap-servers")
        {
            Description = "--env embedded: run the embedded workers and target against this Kafka-compatible cluster (host:port[,host:port]) and assess its topics. --env external: the cluster's bootstrap servers.",
        };
        var kafkaSetting = new Option<string[]>("--kafka-setting")
        {
            Description = "A librdkafka setting for every Kafka client, KEY=VALUE (repeat), with --bootstrap-servers.",
            Arity = ArgumentArity.OneOrMore,
        };
        kafkaSetting.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]?>() ?? [])
            {
                if (value.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    result.AddError($"--kafka-setting needs KEY=VALUE, e.g. security.protocol=SASL_SSL; got '{(value.Contains('=', StringComparison.Ordinal) ? value[..value.IndexOf('=', StringComparison.Ordinal)] : "(no '=')")}'.");
                }
            }
        });
        var kafkaLabel = new Option<string?>("--kafka-label") { Description = "--env embedded with --bootstrap-servers: a short name for the cluster in reports." };
        var command = new Command("assess", "Grade the evaluation checklist and migration scorecard of an assessment file from measurements: runs every failure case for the declared connectors, reads retention and ACLs from the cluster, measures replay throughput. Exit code 0: nothing red; 1: a red row, or a red row without a remediation plan; 2: usage or environment error; 3: nothing ran. With --compare A.json B.json: 0 same status on every row, 1 a row differs, 2 a file cannot be read.")
        {
            file,
            compareFiles,
            environment,
            output,
            bootstrap,
            kafkaSetting,
            kafkaLabel,
        };
        command.Validators.Add(result =>
        {
            var comparing = result.GetResult(compareFiles) is not null;
            var hasFile = result.GetResult(file)?.Tokens.Count > 0;
            if (comparing == hasFile)
            {
                result.AddError(comparing
                    ? "Give either an assessment file to run or --compare A.json B.json, not both."
                    : "Give the assessment file to run (assess FILE), or --compare A.json B.json to compare two results.");
                return;
            }

            if (comparing && result.Children.OfType<System.CommandLine.Parsing.OptionResult>().FirstOrDefault(o => o.Option != compareFiles && !o.Implicit) is { } other)
            {
                result.AddError($"{other.Option.Name} has no effect with --compare, which only reads two assessment.json files; drop it.");
            }

            var given = result.GetResult(environment)?.Tokens.LastOrDefault()?.Value ?? "embedded";
            if (given == "embedded" && result.GetResult(bootstrap) is null && (result.GetResult(kafkaSetting) is not null || result.GetResult(kafkaLabel) is not null))
            {
                result.AddError("--kafka-setting and --kafka-label describe a Kafka cluster of your own; with --env embedded add --bootstrap-servers, or drop them.");
            }

            if (given == "docker" && result.GetResult(bootstrap) is not null)
            {
                result.AddError("--bootstrap-servers has no effect with --env docker, which starts its own broker. Drop it, or use --env embedded.");
            }
        });
        command.SetAction((parse, cancellationToken) => parse.GetValue(compareFiles) is [var left, var right]
            ? compare(left, right, cancellationToken)
            : execute(
                parse.GetValue(file)!,
                new RunSettings
                {
                    Environment = Enum.Parse<EnvironmentKind>(parse.GetValue(environment)!, ignoreCase: true),
                    OutputDirectory = parse.GetValue(output),
                    KafkaLabel = parse.GetValue(kafkaLabel)?.Trim(),
                    External = new ExternalEnvironmentOptions
                    {
                        BootstrapServers = parse.GetValue(bootstrap),
                        KafkaSettings = (parse.GetValue(kafkaSetting) ?? []).Select(p => p.Split('=', 2)).GroupBy(p => p[0].Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal),
                    },
                },
                cancellationToken));
        return command;
    }
}
