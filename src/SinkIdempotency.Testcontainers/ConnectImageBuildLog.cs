using Microsoft.Extensions.Logging;

namespace SinkIdempotency.Testcontainers;

/// <summary>Collects what the Docker engine reports while it builds the Connect image: the build's output lines and its errors.</summary>
/// <remarks>
/// Testcontainers logs a build's output at debug level and its errors at error level, and takes an image that exists under
/// the tag after the build as built, so a failed rebuild would silently run an older image of the same tag. With this log
/// as the build's logger the environment fails on any reported error instead, quoting the error and the install script's
/// last lines (which name the archive, the checksum it found and what to change).
/// </remarks>
internal sealed class ConnectImageBuildLog : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];

    /// <summary>Gets the output lines, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Gets the errors the engine reported.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var message = formatter(state, exception).Trim();
        if (message.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            (logLevel >= LogLevel.Error ? _errors : _lines).Add(message);
        }
    }

    /// <summary>Explains a failed build: the engine's errors and the last output lines, secrets hidden.</summary>
    /// <param name="image">The image being built.</param>
    /// <param name="cause">What Testcontainers threw, or <see langword="null"/> when it reported success despite errors.</param>
    /// <param name="tail">How many output lines to quote.</param>
    /// <returns>The message.</returns>
    public string Explain(string image, Exception? cause, int tail = 15)
    {
        var errors = Errors;
        var lines = Lines.SelectMany(l => l.Split('\n')).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).TakeLast(tail).ToList();
        var what = errors.Count > 0 ? string.Join("; ", errors) : cause?.Message ?? "no error was reported";
        var output = lines.Count > 0 ? " Last build output:\n  " + string.Join("\n  ", lines) : string.Empty;
        return Connect.SecretRedactor.RedactText($"Building the Connect image {image} failed: {what}.{output}");
    }
}
