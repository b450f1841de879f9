namespace SinkIdempotency.Cli;

/// <summary>The process exit codes of <c>sink-idempotency</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command completed (for <c>broker</c>: it ran until Ctrl+C or SIGTERM and stopped cleanly).</summary>
    public const int Ok = 0;

    /// <summary>Reserved for <c>run</c>: at least one scenario's verdict is red.</summary>
    public const int Red = 1;

    /// <summary>The command line is invalid, or the environment prevents the command (e.g. the port is in use).</summary>
    public const int UsageError = 2;
}
