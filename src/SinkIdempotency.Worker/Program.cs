using SinkIdempotency.Worker.Hosting;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(WorkerCommandLine.Usage);
    return WorkerCommandLine.ExitOk;
}

var (options, error) = WorkerCommandLine.Parse(args, Environment.GetEnvironmentVariable(WorkerCommandLine.ClientPropertiesVariable));
if (options is null)
{
    await Console.Error.WriteLineAsync(error + Environment.NewLine + Environment.NewLine + WorkerCommandLine.Usage).ConfigureAwait(false);
    return WorkerCommandLine.ExitUsage;
}

return await WorkerHost.RunAsync(options, Console.Out, CancellationToken.None).ConfigureAwait(false);
