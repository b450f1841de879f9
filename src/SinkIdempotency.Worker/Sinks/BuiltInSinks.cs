using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Sinks.Files;
using SinkIdempotency.Worker.Sinks.Http;

namespace SinkIdempotency.Worker.Sinks;

/// <summary>Lists the built-in sinks beyond PostgreSQL; they implement the same public sink contract a plugin does.</summary>
internal static class BuiltInSinks
{
    public static IEnumerable<(Type Type, Func<SinkConnector> Create)> All(ILoggerFactory loggerFactory) =>
    [
        (typeof(FileSinkConnector), () => new FileSinkConnector(loggerFactory)),
        (typeof(HttpSinkConnector), () => new HttpSinkConnector(loggerFactory)),
    ];
}
