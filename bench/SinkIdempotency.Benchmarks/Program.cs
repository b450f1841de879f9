using SinkIdempotency.Benchmarks;

return await BenchmarkCommand.RunAsync(args);
