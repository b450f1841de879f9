using System.Diagnostics;
using System.Text;

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
    private int _killed;

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
    }

    /// <summary>Closes stdin, which makes the worker stop gracefully; kills it if it is still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IsRunning)
        {
            return;
        }

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
