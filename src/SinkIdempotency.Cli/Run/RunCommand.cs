using System.CommandLine;
using SinkIdempotency.Environments;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Cli.Run;

/// <summary>
/// <c>sink-idempotency run [--env embedded|docker|external] [--scenario FILE]… [--out DIR] [--filter PATTERN] [--repeat N] [--parallel N] [--plugin-path PATH]… [--list] [--allow-skips]</c>
/// <c>[--kafka apache|confluent|redpanda|automq] [--kafka-image IMAGE]</c>
/// <c>[--bootstrap-servers S] [--kafka-setting K=V]… [--kafka-label NAME] [--connect-url URL]… [--connect-user U] [--target CS] [--connector-target CS] [--target-proxy HOST:PORT]</c>:
/// runs the failure matrix and prints the scorecard.
/// </summary>
internal static class RunCommand
{
    public static Command Create(Func<RunSettings, CancellationToken, Task<int>> execute)
    {
        var environment = new Option<string>("--env", "-e")
        {
            Description = "Where to run: embedded (this machine, no Docker), docker (Testcontainers) or external (your cluster).",
            DefaultValueFactory = _ => "embedded",
        };
        environment.AcceptOnlyFromAmong("embedded", "docker", "external");

        var scenario = new Option<string[]>("--scenario", "-s")
        {
            Description = "A YAML scenario file (repeat the option for several); without it the built-in matrix runs.",
            Arity = ArgumentArity.OneOrMore,
        };

        var output = new Option<string?>("--out", "-o")
        {
            Description = "Folder for scorecard.json, scorecard.md, report.html (with timeline plots) and evidence/.",
        };
        output.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && string.IsNullOrWhiteSpace(value))
            {
                result.AddError("--out needs a folder path.");
            }
        });

        var filter = new Option<string?>("--filter", "-f")
        {
            Description = "Run only scenarios whose name matches: a glob with * and ? (e.g. 'replay/*'), otherwise a substring; case-insensitive.",
        };

        var repeat = new Option<int>("--repeat", "-r")
        {
            Description = $"Run each scenario N times (1 to {RunSettings.MaxRepeat}); a cell shows the worst run and the spread.",
            DefaultValueFactory = _ => 1,
        };
        repeat.Validators.Add(result =>
        {
            // A token that is not a number already has a conversion error; only a parsed number is range-checked.
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is < 1 or > RunSettings.MaxRepeat)
            {
                result.AddError($"--repeat must be between 1 and {RunSettings.MaxRepeat}, not {value}.");
            }
        });

        var parallel = new Option<int?>("--parallel", "-p")
        {
            Description = $"Run scenarios in N lanes at once (1 to {RunSettings.MaxParallel}), each with Connect workers of its own (on --env embedded the lanes share the broker and the target servers, each lane with its own fault proxies); 1 runs them one after another. Default: {RunSettings.DefaultLanesPerCore} per core up to {RunSettings.DefaultParallelCeiling} on --env embedded, 1 on docker and external.",
        };
        parallel.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is < 1 or > RunSettings.MaxParallel)
            {
                result.AddError($"--parallel must be between 1 and {RunSettings.MaxParallel}, not {value}.");
            }
        });

        var pluginPath = new Option<string[]>("--plugin-path")
        {
            Description = "--env embedded: a folder or .dll with your own .NET sinks (built against SinkIdempotency.Sink.Abstractions) for the workers to load (repeat for several; scenario files can list them under plugins:).",
            Arity = ArgumentArity.OneOrMore,
        };
        pluginPath.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]?>() ?? [])
            {
                if (string.IsNullOrWhiteSpace(value) || !(File.Exists(value) || Directory.Exists(value)))
                {
                    result.AddError($"--plugin-path '{value}' does not exist; give a folder or .dll with your .NET sink.");
                }
            }
        });

        var list = new Option<bool>("--list")
        {
            Description = "List the selected scenarios (name, fault, connector, declared semantics, source) without running them.",
        };

        var allowSkips = new Option<bool>("--allow-skips")
        {
            Description = "Accept a run in which every scenario was skipped (exit code 0 instead of 3), e.g. --env external with scenarios that all need a worker kill.",
        };

        var kafka = new Option<string?>("--kafka")
        {
            Description = $"--env docker: the Kafka-compatible broker, one of {string.Join(", ", KafkaFlavourNames.All)} (or {DockerEnvironmentOptions.KafkaFlavourVariable}); default apache.",
        };
        kafka.AcceptOnlyFromAmong([.. KafkaFlavourNames.All]);

        var kafkaImage = new Option<string?>("--kafka-image")
        {
            Description = $"--env docker: the broker image instead of the flavour's pinned one, e.g. apache/kafka:3.9.1 (or {DockerEnvironmentOptions.KafkaImageVariable}).",
        };
        kafkaImage.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && string.IsNullOrWhiteSpace(value))
            {
                result.AddError("--kafka-image needs an image name.");
            }
        });

        var bootstrap = new Option<string?>("--bootstrap-servers")
        {
            Description = $"--env external: Kafka bootstrap servers, host:port[,host:port] (or {ExternalEnvironmentOptions.BootstrapServersVariable}). --env embedded: run the embedded workers and target against this Kafka-compatible cluster instead of the in-process broker (the environment is then named embedded@<servers or --kafka-label>).",
        };

        var kafkaSetting = new Option<string[]>("--kafka-setting")
        {
            Description = $"--env external, or --env embedded with --bootstrap-servers: a librdkafka setting for every Kafka client (the harness's and the workers'), KEY=VALUE, e.g. security.protocol=SASL_SSL (repeat; or {ExternalEnvironmentOptions.KafkaSettingVariablePrefix}<KEY> variables, better for secrets).",
            Arity = ArgumentArity.OneOrMore,
        };

        var kafkaLabel = new Option<string?>("--kafka-label")
        {
            Description = "--env embedded with --bootstrap-servers: a short name for the cluster in reports (the environment is named embedded@<label>), e.g. staging-msk.",
        };
        kafkaSetting.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]?>() ?? [])
            {
                var equals = value.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    // Only the key is echoed: the value may be a password.
                    result.AddError($"--kafka-setting needs KEY=VALUE, e.g. security.protocol=SASL_SSL; got '{(equals < 0 ? "(no '=')" : value[..equals])}'.");
                }
            }
        });

        var connectUrl = new Option<string[]>("--connect-url")
        {
            Description = $"--env external: a Kafka Connect REST URL (repeat for several workers; or {ExternalEnvironmentOptions.ConnectUrlsVariable}, comma-separated).",
            Arity = ArgumentArity.OneOrMore,
        };

        connectUrl.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]?>() ?? [])
            {
                try
                {
                    ExternalEnvironmentOptions.ParseUrls(value, "--connect-url");
                }
                catch (ArgumentException ex)
                {
                    result.AddError(ex.Message);
                }
            }
        });

        var connectUser = new Option<string?>("--connect-user")
        {
            Description = $"--env external: user for the Connect REST API's basic authentication (or {ExternalEnvironmentOptions.ConnectUserVariable}); the password comes from {ExternalEnvironmentOptions.ConnectPasswordVariable}.",
        };

        var target = new Option<string?>("--target")
        {
            Description = $"--env external: Npgsql connection string the harness reads the target with (or {ExternalEnvironmentOptions.TargetVariable}).",
        };

        var connectorTarget = new Option<string?>("--connector-target")
        {
            Description = $"--env external: Npgsql connection string the connectors use, when it differs (or {ExternalEnvironmentOptions.ConnectorTargetVariable}).",
        };

        var targetProxy = new Option<string?>("--target-proxy")
        {
            Description = $"--env external: host:port at which the connectors reach the fault proxy this tool runs on 127.0.0.1 (or {ExternalEnvironmentOptions.TargetProxyAddressVariable}); without it target faults are skipped.",
        };

        var command = new Command("run", "Run the failure matrix (the failure cases × the reference sinks' good and bad configurations, or your scenario files) and print the scorecard. Exit code 0: nothing red; 1: something red; 2: usage or environment error; 3: every scenario was skipped, nothing ran (see --allow-skips).")
        {
            environment,
            scenario,
            output,
            filter,
            repeat,
            parallel,
            pluginPath,
            list,
            allowSkips,
            kafka,
            kafkaImage,
            bootstrap,
            kafkaSetting,
            kafkaLabel,
            connectUrl,
            connectUser,
            target,
            connectorTarget,
            targetProxy,
        };
        command.Validators.Add(result =>
        {
            // Raw tokens, not values: a value that does not convert has its own error already.
            var given = result.GetResult(environment)?.Tokens.LastOrDefault()?.Value ?? "embedded";
            if (given != "docker" && (result.GetResult(kafka) is not null || result.GetResult(kafkaImage) is not null))
            {
                result.AddError($"--kafka and --kafka-image choose the broker --env docker starts; with --env {given} they have no effect. Add --env docker, or drop them.");
            }

            if (given == "embedded" && result.GetResult(bootstrap) is null && (result.GetResult(kafkaSetting) is not null || result.GetResult(kafkaLabel) is not null))
            {
                result.AddError("--kafka-setting and --kafka-label describe a Kafka cluster of your own; with --env embedded add --bootstrap-servers, or drop them to use the in-process broker.");
            }

            if (given != "embedded" && result.GetResult(kafkaLabel) is not null)
            {
                result.AddError($"--kafka-label names the cluster --env embedded runs on with --bootstrap-servers; --env {given} has no use for it. Drop it.");
            }

            if (given != "embedded" && result.GetResult(pluginPath) is not null)
            {
                result.AddError($"--plugin-path loads .NET sinks into the embedded workers; --env {given} runs real Kafka Connect workers, which load plugins of their own. Drop --plugin-path, or use --env embedded.");
            }
        });
        command.SetAction((parse, cancellationToken) => execute(
            new RunSettings
            {
                Environment = Enum.Parse<EnvironmentKind>(parse.GetValue(environment)!, ignoreCase: true),
                ScenarioFiles = parse.GetValue(scenario) ?? [],
                OutputDirectory = parse.GetValue(output),
                Filter = parse.GetValue(filter),
                Repeat = parse.GetValue(repeat),
                Parallel = parse.GetValue(parallel),
                List = parse.GetValue(list),
                AllowSkips = parse.GetValue(allowSkips),
                PluginPaths = [.. (parse.GetValue(pluginPath) ?? []).Select(Path.GetFullPath)],
                Kafka = parse.GetValue(kafka) is { } flavour ? KafkaFlavourNames.Parse(flavour, "--kafka") : null,
                KafkaImage = parse.GetValue(kafkaImage)?.Trim(),
                KafkaLabel = parse.GetValue(kafkaLabel)?.Trim(),
                External = new ExternalEnvironmentOptions
                {
                    BootstrapServers = parse.GetValue(bootstrap),
                    KafkaSettings = Settings(parse.GetValue(kafkaSetting) ?? []),
                    ConnectUrls = [.. (parse.GetValue(connectUrl) ?? []).SelectMany(u => ExternalEnvironmentOptions.ParseUrls(u, "--connect-url"))],
                    ConnectUser = parse.GetValue(connectUser),
                    TargetConnectionString = parse.GetValue(target),
                    ConnectorTargetConnectionString = parse.GetValue(connectorTarget),
                    TargetProxyAddress = parse.GetValue(targetProxy),
                },
            },
            cancellationToken));
        return command;
    }

    private static Dictionary<string, string> Settings(string[] pairs)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2);
            settings[parts[0].Trim()] = parts[1];
        }

        return settings;
    }
}
