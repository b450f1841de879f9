namespace SinkIdempotency.Worker.Rest;

/// <summary>An error the REST API returns as <c>{"error_code":…,"message":…}</c> with that HTTP status (Connect's <c>ConnectRestException</c>).</summary>
internal sealed class ConnectRestException : Exception
{
    public ConnectRestException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public ConnectRestException()
    {
    }

    public ConnectRestException(string message)
        : base(message)
    {
    }

    public ConnectRestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int StatusCode { get; } = 500;

    public static ConnectRestException NotFound(string message) => new(404, message);

    public static ConnectRestException BadRequest(string message) => new(400, message);

    public static ConnectRestException Conflict(string message) => new(409, message);
}
