using System.CommandLine;
using System.Net.Sockets;
using SinkIdempotency.Broker;

namespace SinkIdempotency.Cli;

/// <summary>
/// <c>sink-idempotency broker --port 9092 [--partitions N]</c>: hosts the embedded Kafka broker until
/// cancelled; the first line of standard output is the bootstrap address.
/// </summary>
internal static class BrokerCommand
{
    public const int DefaultPort = 9092;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var port = new Option<int>("--port", "-p")
        {
            Description = "TCP port on 127.0.0.1 (0 picks a free port).",
            DefaultValueFactory = _ => DefaultPort,
        };

        var partitions = new Option<int>("--partitions")
        {
            Description = "Partition count of auto-created topics (Kafka's num.partitions).",
            DefaultValueFactory = _ => 1,
        };

        var noAutoCreate = new Option<bool>("--no-auto-create")
        {
            Description = "Refuse unknown topics instead of creating them on Metadata/Produce.",
        };

        var command = new Command("broker", "Host the embedded Kafka-compatible broker until Ctrl+C or SIGTERM; prints 127.0.0.1:PORT first.")
        {
            port,
            partitions,
            noAutoCreate,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new KafkaBrokerOptions
            {
                Port = parse.GetValue(port),
                DefaultPartitions = parse.GetValue(partitions),
                AutoCreateTopics = !parse.GetValue(noAutoCreate),
            },
            output,
            error,
            cancellationToken));
        return command;
    }

    /// <summary>Starts the broker, prints its address, waits for cancellation and stops it.</summary>
    public static async Task<int> RunAsync(KafkaBrokerOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        KafkaBroker broker;
        try
        {
            broker = new KafkaBroker(options);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(OptionMessage(ex)).ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        await using (broker.ConfigureAwait(false))
        {
            try
            {
                await broker.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                await error.WriteLineAsync($"Cannot listen on 127.0.0.1:{options.Port}: {ex.Message}. Choose another port with --port (0 picks a free one).").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            await output.WriteLineAsync(broker.BootstrapServers).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync($"Embedded Kafka broker ready (auto-create topics: {(options.AutoCreateTopics ? "on" : "off")}, default partitions: {options.DefaultPartitions}). Press Ctrl+C to stop.").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await error.WriteLineAsync("Broker stopped.").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string OptionMessage(ArgumentException ex) => ex.ParamName switch
    {
        nameof(KafkaBrokerOptions.Port) => "--port must be between 0 (any free port) and 65535.",
        nameof(KafkaBrokerOptions.DefaultPartitions) => "--partitions must be at least 1.",
        _ => ex.Message,
    };
}
