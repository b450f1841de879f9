using System.Diagnostics;
using System.Globalization;

namespace SinkIdempotency.Embedded;

/// <summary>Continues (SIGCONT) every process it was told about once the harness goes away, however it dies, so no worker stays frozen.</summary>
/// <remarks>
/// A small shell reads process ids, one a line, from a pipe whose only write end the harness holds. When the harness
/// exits or is killed, the pipe closes, the shell's <c>read</c> returns, and it sends SIGCONT to every id it was given; a
/// continued worker then sees its own standard input closed and stops. SIGCONT is harmless to a process that is not
/// stopped, so an id the system has since reused comes to no harm.
/// </remarks>
internal sealed class FreezeGuard : IDisposable
{
    private const string Script = "p=''; while read -r l; do p=\"$p $l\"; done; if [ -n \"$p\" ]; then kill -CONT $p 2>/dev/null; fi; exit 0";
    private readonly Process _shell;
    private readonly HashSet<int> _registered = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    private FreezeGuard(Process shell) => _shell = shell;

    /// <summary>Starts the guard's shell.</summary>
    /// <exception cref="InvalidOperationException">The shell could not be started.</exception>
    public static FreezeGuard Start()
    {
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add("sinkidempotency-freeze-guard");
        try
        {
            return new FreezeGuard(Process.Start(start) ?? throw new InvalidOperationException("sh did not start."));
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"The freeze guard (sh) could not be started, so no worker is frozen: {ex.Message}", ex);
        }
    }

    /// <summary>Gets the guard shell's process id.</summary>
    public int ProcessId => _shell.Id;

    /// <summary>Tells the guard about a process before it is frozen; each id is sent once.</summary>
    public void Register(int pid)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_registered.Add(pid))
            {
                _shell.StandardInput.WriteLine(pid.ToString(CultureInfo.InvariantCulture));
                _shell.StandardInput.Flush();
            }
        }
    }

    /// <summary>Closes the pipe: the guard continues every process it was told about and exits.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        try
        {
            _shell.StandardInput.Close();
            if (!_shell.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _shell.Kill();
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The shell is already gone.
        }

        _shell.Dispose();
    }
}
