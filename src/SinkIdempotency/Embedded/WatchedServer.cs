using System.Diagnostics;

namespace SinkIdempotency.Embedded;

/// <summary>Starts a local server under a small shell watchdog that stops it when the harness process dies, and stops it again on request.</summary>
/// <remarks>
/// The harness holds the only write end of the shell's standard input. When the harness exits, however it dies, the pipe
/// closes, <c>read</c> returns, and the watchdog sends the server its graceful-shutdown signal. Closing the pipe stops it too.
/// </remarks>
internal static class WatchedServer
{
    /// <summary>Builds the watchdog script for a server that shuts down gracefully on <paramref name="signal"/> (<c>INT</c> for PostgreSQL's fast shutdown, <c>TERM</c> for MariaDB).</summary>
    public static string Script(string signal) =>
        "exec 3<&0; log=\"$1\"; shift; " +
        "\"$@\" </dev/null 3<&- >>\"$log\" 2>&1 & pg=$!; " +
        $"( read -r _ <&3; kill -{signal} \"$pg\" 2>/dev/null ) & w=$!; " +
        "exec 3<&-; wait \"$pg\"; rc=$?; kill \"$w\" 2>/dev/null; exit $rc";

    /// <summary>Starts <paramref name="serverArguments"/> (the server's path first) as <paramref name="serverUser"/> under the watchdog, its output appended to <paramref name="logPath"/>.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">Thrown when the shell (or <c>runuser</c>) cannot be started.</exception>
    public static Process Start(string serverUser, string name, string signal, string logPath, IReadOnlyList<string> serverArguments)
    {
        var (fileName, arguments) = ClusterFiles.AsUser(serverUser, "sh", ["-c", Script(signal), name, logPath, .. serverArguments]);
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Closes the watchdog's pipe and waits up to 30 s for the server to stop; then kills the process tree.</summary>
    public static async Task StopAsync(Process server)
    {
        if (server.HasExited)
        {
            return;
        }

        try
        {
            server.StandardInput.Close();
        }
        catch (IOException)
        {
            // The shell is already gone; the caller's checks clean up.
        }

        using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await server.WaitForExitAsync(graceful.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            server.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Reads a server log as it is now, or an empty string when there is none.</summary>
    public static async Task<string> ReadLogAsync(string logPath, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream);
                return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>Returns the last 20 lines of a log.</summary>
    public static string Tail(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 20)));
    }
}
