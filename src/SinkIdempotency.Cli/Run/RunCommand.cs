using System.CommandLine;

namespace SinkIdempotency.Cli.Run;

/// <summary>
/// <c>sink-idempotency run [--env embedded|docker|external] [--scenario FILE]… [--out DIR] [--filter PATTERN] [--repeat N] [--parallel N] [--list]</c>:
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

        var parallel = new Option<int>("--parallel", "-p")
        {
            Description = $"Run scenarios in N environments at once (1 to {RunSettings.MaxParallel}), each with its own broker, workers and target; 1 runs them one after another.",
            DefaultValueFactory = _ => 1,
        };
        parallel.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is < 1 or > RunSettings.MaxParallel)
            {
                result.AddError($"--parallel must be between 1 and {RunSettings.MaxParallel}, not {value}.");
            }
        });

        var list = new Option<bool>("--list")
        {
            Description = "List the selected scenarios (name, fault, connector, declared semantics, source) without running them.",
        };

        var command = new Command("run", "Run the failure matrix (five failure cases × the reference sinks' good and bad configurations, or your scenario files) and print the scorecard. Exit code 0: nothing red; 1: something red; 2: usage or environment error.")
        {
            environment,
            scenario,
            output,
            filter,
            repeat,
            parallel,
            list,
        };
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
            },
            cancellationToken));
        return command;
    }
}
