using System.Diagnostics;
using System.Text;
using SinkIdempotency.Connect;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Environments;

/// <summary>Runs one worker as a child process: its REST URL from the first stdout line, stdin held open so it dies with the harness, logs kept for evidence.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int MaxLogLines = 5_000;
    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private readonly Lock _logGate = new();
    private readonly StreamWriter? _logFile;
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _standbyReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _killed;
    private int _frozen;

    private WorkerProcess(Process process, StreamWriter? logFile)
    {
        _process = process;
        _logFile = logFile;
    }

    public Uri RestUrl { get; private set; } = null!;

    public string WorkerId => $"{RestUrl.Host}:{RestUrl.Port}";

    public int ProcessId => _process.Id;

    public bool IsRunning
    {
        get
        {
            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    public bool WasKilled => Volatile.Read(ref _killed) == 1;

    public bool IsFrozen => Volatile.Read(ref _frozen) == 1;

    /// <summary>Gets or sets a value indicating whether the worker waits on standby (started with <c>--standby</c>, not yet admitted).</summary>
    public bool IsStandby { get; set; }

    /// <summary>Gets or sets the local ports of the worker's PostgreSQL sessions, noted while it was frozen, so a kill can wait for the server to end them.</summary>
    public IReadOnlyList<int> PostgreSqlPorts { get; set; } = [];

    public string Log
    {
        get
        {
            lock (_logGate)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public static async Task<WorkerProcess> StartAsync(string dotnet, string workerPath, IReadOnlyList<string> arguments, string? logPath, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(workerPath)!,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(workerPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        StreamWriter? logFile = null;
        if (logPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
            logFile = new StreamWriter(logPath, append: true, Encoding.UTF8) { AutoFlush = true };
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, logFile);
        process.OutputDataReceived += (_, e) => worker.OnOutput(e.Data, isStdout: true);
        process.ErrorDataReceived += (_, e) => worker.OnOutput(e.Data, isStdout: false);
        process.Exited += (_, _) => worker._standbyReady.TrySetException(new InvalidOperationException($"the worker process exited with code {SafeExitCode(process)} before it was ready on standby; its log: {Tail(worker.Log)}"));
        process.Exited += (_, _) => worker._firstLine.TrySetException(new InvalidOperationException($"the worker process exited with code {SafeExitCode(process)} before printing its REST URL; its log: {Tail(worker.Log)}"));
        try
        {
            process.Start();
        }
        catch (Exception ex)
        {
            logFile?.Dispose();
            process.Dispose();
            throw new InvalidOperationException($"'{dotnet} {workerPath}' could not be started: {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var line = await worker._firstLine.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            if (!Uri.TryCreate(line.Trim(), UriKind.Absolute, out var url))
            {
                throw new InvalidOperationException($"the worker's first output line '{line}' is not its REST URL.");
            }

            worker.RestUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
            return worker;
        }
        catch (Exception ex)
        {
            await worker.KillAsync(CancellationToken.None).ConfigureAwait(false);
            await worker.DisposeAsync().ConfigureAwait(false);
            if (ex is TimeoutException)
            {
                throw new TimeoutException($"the worker did not print its REST URL within {timeout.TotalSeconds:0.#} s; its log: {Tail(worker.Log)}", ex);
            }

            throw;
        }
    }

    /// <summary>Sends SIGSTOP and waits until every thread of the worker has stopped, so it runs no code until <see cref="Thaw"/>.</summary>
    /// <exception cref="InvalidOperationException">The worker is not running.</exception>
    /// <exception cref="TimeoutException">A thread did not stop within <paramref name="timeout"/>; the worker was continued.</exception>
    public async Task FreezeAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IsRunning || !Embedded.UnixProcess.Signal(ProcessId, Embedded.UnixProcess.SigStop))
        {
            throw new InvalidOperationException($"The worker process {ProcessId} is not running, so it cannot be frozen.");
        }

        Interlocked.Exchange(ref _frozen, 1);

        // A stop signal is taken by each thread as it next runs or leaves the kernel, not at once; on a loaded machine a
        // thread may wait long for a CPU, but one that cannot run its own code or send before it stops counts as stopped.
        var running = string.Empty;
        if (!await Poll.UntilAsync(time, _ => Task.FromResult(Embedded.UnixProcess.StopIsCertain(ProcessId, out running)), timeout, TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false))
        {
            Thaw();
            throw new TimeoutException($"The worker process {ProcessId} had threads still running {timeout.TotalMilliseconds:0} ms after SIGSTOP (thread:state:system call: {running}); it was continued.");
        }
    }

    /// <summary>Sends SIGCONT to a frozen worker; it carries on where it stopped.</summary>
    public void Thaw()
    {
        if (Interlocked.Exchange(ref _frozen, 0) == 1)
        {
            Embedded.UnixProcess.Signal(ProcessId, Embedded.UnixProcess.SigCont);
        }
    }

    /// <summary>Waits until a standby worker printed <c>standby</c>: started, its plugins loaded and the cluster's topics read, ready to join.</summary>
    /// <exception cref="TimeoutException">The worker was not ready within <paramref name="timeout"/>.</exception>
    public Task WaitForStandbyAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        _standbyReady.Task.WaitAsync(timeout, time, cancellationToken);

    /// <summary>Tells a standby worker (started with <c>--standby</c>) to join the cluster: a <c>join</c> line on its standard input.</summary>
    /// <exception cref="InvalidOperationException">The worker is not running.</exception>
    public void Admit()
    {
        try
        {
            _process.StandardInput.WriteLine("join");
            _process.StandardInput.Flush();
            IsStandby = false;
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"The standby worker process {ProcessId} could not be admitted: {ex.Message}", ex);
        }
    }

    /// <summary>Sends SIGKILL (no graceful shutdown, no final commit) and waits for the process to be gone.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _killed, 1);
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _frozen, 0);
    }

    /// <summary>Closes stdin, which makes the worker stop gracefully (leaving the cluster, its tasks committing); kills it if it is still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IsRunning)
        {
            return;
        }

        // A frozen worker would never see its standard input close.
        Thaw();
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The worker already closed its end.
        }

        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(grace, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await KillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await KillAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _process.Dispose();
        if (_logFile is not null)
        {
            await _logFile.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : "…" + log[^4000..];

    private void OnOutput(string? line, bool isStdout)
    {
        if (line is null)
        {
            return;
        }

        if (isStdout && _firstLine.TrySetResult(line))
        {
            return;
        }

        if (isStdout && line == "standby")
        {
            _standbyReady.TrySetResult();
            return;
        }

        // Redacted once as it arrives, so neither the kept lines nor the log file ever hold a secret the worker printed.
        line = SecretRedactor.RedactText(line);
        lock (_logGate)
        {
            _log.Enqueue(line);
            while (_log.Count > MaxLogLines)
            {
                _log.Dequeue();
            }

            try
            {
                _logFile?.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
