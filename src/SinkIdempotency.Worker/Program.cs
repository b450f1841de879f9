using SinkIdempotency.Worker.Hosting;

var (options, error) = WorkerCommandLine.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(error + Environment.NewLine + Environment.NewLine + WorkerCommandLine.Usage).ConfigureAwait(false);
    return WorkerCommandLine.ExitUsage;
}

return await WorkerHost.RunAsync(options, Console.Out, CancellationToken.None).ConfigureAwait(false);
