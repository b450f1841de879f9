namespace SinkIdempotency.Targets.Http;

/// <summary>Configures the HTTP target server.</summary>
public sealed record HttpTargetServerOptions
{
    /// <summary>Gets a value indicating whether a request repeating an applied idempotency key is answered without being applied again.</summary>
    /// <value><see langword="true"/>, as an API that supports idempotency keys behaves.</value>
    public bool HonourIdempotencyKeys { get; init; } = true;

    /// <summary>Gets the request header carrying the idempotency key.</summary>
    /// <value><c>Idempotency-Key</c>.</value>
    public string IdempotencyKeyHeader { get; init; } = "Idempotency-Key";

    /// <summary>Gets the clock used for audit timestamps and response delays.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentException">Thrown when the header name is empty or the clock is missing.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(IdempotencyKeyHeader))
        {
            throw new ArgumentException("The idempotency key header name cannot be empty; keep the default Idempotency-Key or name another header.", nameof(IdempotencyKeyHeader));
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("The HTTP target server needs a TimeProvider; keep the default TimeProvider.System.", nameof(TimeProvider));
        }
    }
}
