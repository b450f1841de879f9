using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace SinkIdempotency.Worker.Hosting;

/// <summary>Sends every log line to standard error (standard output carries only the REST URL).</summary>
internal static class WorkerLogging
{
    public static LogLevel MinimumLevel =>
        Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("SINKIDEMPOTENCY_WORKER_LOG_LEVEL"), ignoreCase: true, out var level)
            ? level
            : LogLevel.Information;

    public static void Configure(ILoggingBuilder builder) => builder
        .SetMinimumLevel(MinimumLevel)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        })
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}
