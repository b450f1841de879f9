using SinkIdempotency.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);
