using System.Diagnostics;
using System.Text;

namespace SinkIdempotency.Embedded;

/// <summary>Runs short helper commands (initdb, cp, chown, kill) to completion and captures their output.</summary>
internal static class ProcessRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new LocalPostgreSqlException($"Could not run '{fileName}': {exception.Message}.", exception);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = new StringBuilder(await output.ConfigureAwait(false)).Append(await error.ConfigureAwait(false)).ToString();
        return (process.ExitCode, text.Trim());
    }

    public static async Task RunCheckedAsync(string fileName, IEnumerable<string> arguments, string what, CancellationToken cancellationToken)
    {
        var list = arguments.ToList();
        var (exitCode, output) = await RunAsync(fileName, list, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new LocalPostgreSqlException($"Could not {what}: '{fileName} {string.Join(' ', list)}' exited with code {exitCode}: {output}");
        }
    }
}
