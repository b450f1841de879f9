using System.CommandLine;
using System.Runtime.InteropServices;

namespace SinkIdempotency.Cli;

/// <summary>
/// Builds the <c>sink-idempotency</c> command tree and runs it; tested in-process through
/// <see cref="InvokeAsync"/> with its own writers and cancellation token.
/// </summary>
/// <remarks>Exit codes: 0 ok, 1 a red verdict (<c>run</c>, later), 2 usage or environment error.</remarks>
internal static class CliApplication
{
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
        return await InvokeAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
    }

    /// <summary>Parses <paramref name="args"/> and runs the chosen command until it ends or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Proves what Kafka sink connectors do under failures.")
        {
            BrokerCommand.Create(output, error),
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
        };
        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
