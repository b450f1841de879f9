namespace SinkIdempotency.Cli;

/// <summary>The process exit codes of <c>sink-idempotency</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command completed: for <c>run</c>, no scenario is red (green, yellow or skipped only); for <c>broker</c>, it ran until Ctrl+C or SIGTERM and stopped cleanly.</summary>
    public const int Ok = 0;

    /// <summary><c>run</c>: at least one scenario's verdict is red (a forbidden anomaly, no convergence, or a fault that was not injected).</summary>
    public const int Red = 1;

    /// <summary>The command line or a scenario file is invalid, or the environment prevents the command (the port is in use, Docker is missing, an environment failed mid-run), or the run was interrupted.</summary>
    public const int UsageError = 2;
}
