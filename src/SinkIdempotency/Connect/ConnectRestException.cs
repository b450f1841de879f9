using System.Net;

namespace SinkIdempotency.Connect;

/// <summary>Reports a Kafka Connect REST call that answered with an error status, carrying Connect's <c>error_code</c> and <c>message</c>.</summary>
public sealed class ConnectRestException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ConnectRestException"/> class for a failed call.</summary>
    /// <param name="statusCode">The HTTP status the worker answered with.</param>
    /// <param name="errorCode">The <c>error_code</c> of Connect's error body, when the body had one.</param>
    /// <param name="connectMessage">The <c>message</c> of Connect's error body, or the raw body when it was not Connect's shape.</param>
    /// <param name="method">The HTTP method of the call.</param>
    /// <param name="path">The path and query of the call.</param>
    public ConnectRestException(HttpStatusCode statusCode, int? errorCode, string connectMessage, string method, string path)
        : base($"Kafka Connect answered {(int)statusCode} {statusCode} to {method} {path}: {connectMessage}")
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ConnectMessage = connectMessage;
        Method = method;
        Path = path;
    }

    /// <summary>Initializes a new instance of the <see cref="ConnectRestException"/> class with a message only.</summary>
    public ConnectRestException()
        : this(HttpStatusCode.InternalServerError, null, string.Empty, string.Empty, string.Empty)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConnectRestException"/> class with a message only.</summary>
    /// <param name="message">The message.</param>
    public ConnectRestException(string message)
        : base(message)
    {
        ConnectMessage = message;
        Method = string.Empty;
        Path = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="ConnectRestException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ConnectRestException(string message, Exception innerException)
        : base(message, innerException)
    {
        ConnectMessage = message;
        Method = string.Empty;
        Path = string.Empty;
    }

    /// <summary>Gets the HTTP status the worker answered with.</summary>
    public HttpStatusCode StatusCode { get; } = HttpStatusCode.InternalServerError;

    /// <summary>Gets the <c>error_code</c> of Connect's error body, or <see langword="null"/> when the body had none.</summary>
    public int? ErrorCode { get; }

    /// <summary>Gets the <c>message</c> of Connect's error body, or the raw body when it was not Connect's shape.</summary>
    public string ConnectMessage { get; }

    /// <summary>Gets the HTTP method of the failed call.</summary>
    public string Method { get; }

    /// <summary>Gets the path and query of the failed call.</summary>
    public string Path { get; }

    /// <summary>Gets a value indicating whether the worker refused the call only because a rebalance or config change was under way (409), so retrying later can succeed.</summary>
    public bool IsRebalanceInProgress =>
        StatusCode == HttpStatusCode.Conflict
        && (ConnectMessage.Contains("rebalance", StringComparison.OrdinalIgnoreCase)
            || ConnectMessage.Contains("stale configuration", StringComparison.OrdinalIgnoreCase)
            || ConnectMessage.Contains("momentarily", StringComparison.OrdinalIgnoreCase));
}
