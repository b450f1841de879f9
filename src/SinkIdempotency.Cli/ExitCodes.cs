namespace SinkIdempotency.Cli;

/// <summary>The process exit codes of <c>sink-idempotency</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command completed: for <c>run</c>, at least one scenario ran and none is red (green, yellow, and skipped ones said so), or every one was skipped and <c>--allow-skips</c> accepts that; for <c>broker</c>, it ran until Ctrl+C or SIGTERM and stopped cleanly.</summary>
    public const int Ok = 0;

    /// <summary><c>run</c>: at least one scenario's verdict is red (a forbidden anomaly, no convergence, or a fault that was not injected).</summary>
    public const int Red = 1;

    /// <summary>The command line or a scenario file is invalid (a connector setting the environment would have to replace included), or the environment prevents the command (the port is in use, Docker is missing, an environment failed mid-run), or the run was interrupted.</summary>
    public const int UsageError = 2;

    /// <summary><c>run</c>: every selected scenario was skipped (the environment lacks what their faults need), so nothing was tested; <c>--allow-skips</c> turns this into <see cref="Ok"/>. As Microsoft.Testing.Platform fails a run in which zero tests ran, and pytest exits 5 when it collected nothing.</summary>
    public const int NothingRan = 3;
}
