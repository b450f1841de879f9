using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using SinkIdempotency.Cli.Assessment;
using SinkIdempotency.Cli.Reconcile;
using SinkIdempotency.Cli.Run;

namespace SinkIdempotency.Cli;

/// <summary>
/// Builds the <c>sink-idempotency</c> command tree and runs it; tested in-process through
/// <c>InvokeAsync</c> with its own writers, services and cancellation token.
/// </summary>
/// <remarks>Exit codes (<see cref="ExitCodes"/>): 0 ok (for <c>run</c>: nothing red), 1 a red verdict, 2 usage or environment error.</remarks>
internal static class CliApplication
{
    /// <summary>The command the tool package installs (its <c>ToolCommandName</c>), shown in help and usage.</summary>
    public const string CommandName = "sink-idempotency";

    /// <summary>Runs the tool as a process: standard streams, stopped by Ctrl+C (SIGINT) or SIGTERM.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await InvokeAsync(args, Console.Out, Console.Error, CliServices.Process, stop.Token).ConfigureAwait(false);
    }

    /// <summary>Parses <paramref name="args"/> and runs the chosen command with the services of a real process, non-interactive.</summary>
    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        InvokeAsync(args, output, error, CliServices.Process with { Interactive = false }, cancellationToken);

    /// <summary>Parses <paramref name="args"/> and runs the chosen command until it ends or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CliServices services, CancellationToken cancellationToken)
    {
        // Everything printed passes the secret redactor. A live terminal's output stays the console itself, so Spectre still
        // measures and redraws it; what it shows there comes from results that are redacted where they are made.
        using var redactedError = new RedactingTextWriter(error);
        using var redactedOutput = services.Interactive ? null : new RedactingTextWriter(output);
        return await InvokeRedactedAsync(args, redactedOutput ?? output, redactedError, services, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> InvokeRedactedAsync(string[] args, TextWriter output, TextWriter error, CliServices services, CancellationToken cancellationToken)
    {
        var run = new RunExecution(services.Sessions, output, error, services.Interactive, services.TimeProvider, services.GetVariable, services.GetVariables);
        // A RootCommand is named after the process's entry assembly (SinkIdempotency.Cli); help must show the tool's command.
        var root = new Command(CommandName, "Proves what Kafka sink connectors do under failures. Exit codes: 0 nothing red, 1 a red verdict (run), 2 usage or environment error.")
        {
            new HelpOption(),
            new VersionOption(),
            RunCommand.Create(run.ExecuteAsync),
            BrokerCommand.Create(output, error),
            ReconcileCommand.Create(new ReconcileExecution(output, error, services.GetVariables).ExecuteAsync),
            AssessCommand.Create(
                new AssessExecution(services.Sessions, output, error, services.TimeProvider, services.GetVariables).ExecuteAsync,
                new AssessCompareExecution(output, error).ExecuteAsync),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync(parseError.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'sink-idempotency --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Exit code 1 means "something is red"; a crash of the tool must not look like a verdict.
            await error.WriteLineAsync($"sink-idempotency failed unexpectedly: {ex}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
    }
}
