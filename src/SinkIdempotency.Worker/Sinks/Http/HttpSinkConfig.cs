using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Http;

/// <summary>The HTTP sink's settings: target URL, idempotency key header, request timeout and in-place retries.</summary>
internal sealed record HttpSinkConfig
{
    public static ConfigDefinition Definition { get; } = new ConfigDefinition()
        .Define(new ConfigKeyDefinition { Name = "http.url", IsRequired = true, Importance = ConfigImportance.High, Group = "HTTP", OrderInGroup = 1, DisplayName = "URL", Documentation = "URL every record is POSTed to.", Validator = ValidateUrl })
        .Define(new ConfigKeyDefinition { Name = "http.idempotency.key.enable", Type = ConfigType.Boolean, DefaultValue = "false", Importance = ConfigImportance.High, Group = "HTTP", OrderInGroup = 2, DisplayName = "Idempotency Key", Documentation = "Whether to send an idempotency key made of the record's Kafka coordinates (topic+partition+offset), so a target that honours it applies a retried or replayed record once." })
        .Define(new ConfigKeyDefinition { Name = "http.idempotency.key.header", DefaultValue = "Idempotency-Key", Importance = ConfigImportance.Low, Group = "HTTP", OrderInGroup = 3, DisplayName = "Idempotency Key Header", Documentation = "Header carrying the idempotency key." })
        .Define(new ConfigKeyDefinition { Name = "http.request.timeout.ms", Type = ConfigType.Int, DefaultValue = "30000", AtLeast = 1, Importance = ConfigImportance.Medium, Group = "HTTP", OrderInGroup = 4, DisplayName = "Request Timeout (millis)", Documentation = "How long to wait for a response before the request counts as failed (and is retried)." })
        .Define(new ConfigKeyDefinition { Name = "max.retries", Type = ConfigType.Int, DefaultValue = "10", AtLeast = 0, Importance = ConfigImportance.Medium, Group = "Retries", OrderInGroup = 1, DisplayName = "Maximum Retries", Documentation = "How many times a request that failed with a 5xx, 408 or 429 status, a timeout or a connection error is sent again before the record fails." })
        .Define(new ConfigKeyDefinition { Name = "retry.backoff.ms", Type = ConfigType.Int, DefaultValue = "3000", AtLeast = 0, Importance = ConfigImportance.Medium, Group = "Retries", OrderInGroup = 2, DisplayName = "Retry Backoff (millis)", Documentation = "Time to wait before a failed request is sent again." });

    public required Uri Url { get; init; }

    public bool IdempotencyKeyEnabled { get; init; }

    public string IdempotencyKeyHeader { get; init; } = "Idempotency-Key";

    public int RequestTimeoutMs { get; init; } = 30_000;

    public int MaxRetries { get; init; } = 10;

    public int RetryBackoffMs { get; init; } = 3_000;

    public static HttpSinkConfig Parse(IReadOnlyDictionary<string, string> config)
    {
        var parsed = Definition.Parse(config);
        return new HttpSinkConfig
        {
            Url = new Uri(parsed.GetString("http.url")!),
            IdempotencyKeyEnabled = parsed.GetBoolean("http.idempotency.key.enable"),
            IdempotencyKeyHeader = parsed.GetString("http.idempotency.key.header")!,
            RequestTimeoutMs = parsed.GetInt("http.request.timeout.ms"),
            MaxRetries = parsed.GetInt("max.retries"),
            RetryBackoffMs = parsed.GetInt("retry.backoff.ms"),
        };
    }

    private static string? ValidateUrl(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : "Must be an absolute http or https URL";
}
