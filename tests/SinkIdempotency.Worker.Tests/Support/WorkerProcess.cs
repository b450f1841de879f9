using System.Diagnostics;
using System.Text;

namespace SinkIdempotency.Worker.Tests.Support;

/// <summary>
/// A real worker process (<c>dotnet SinkIdempotency.Worker.dll</c> from this test's output folder). Its standard input stays
/// open while the test runs; disposing closes it (the worker stops by itself) and kills it if it lingers.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private WorkerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(100) };

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "SinkIdempotency.Worker.dll");

    public static async Task<WorkerProcess> StartAsync(string bootstrapServers, string groupId, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WorkerDll);
        foreach (var arg in new[] { "--bootstrap-servers", bootstrapServers, "--group-id", groupId, "--rest-port", "0" }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (firstLine is null || !Uri.TryCreate(firstLine, UriKind.Absolute, out var url))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The worker did not print its URL; first line '{firstLine}', log:\n{stderr}");
        }

        var worker = new WorkerProcess(process, url);
        lock (stderr)
        {
            worker._stderr.Append(stderr);
        }

        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (worker._stderr)
                {
                    worker._stderr.AppendLine(e.Data);
                }
            }
        };
        worker.Http.BaseAddress = url;
        return worker;
    }

    /// <summary>Kills the process with SIGKILL: no graceful stop, no final commit.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Closes standard input, as a dying harness would, and waits for the worker to exit by itself.</summary>
    public async Task<bool> CloseStandardInputAndWaitAsync(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited && !await CloseStandardInputAndWaitAsync(TimeSpan.FromSeconds(20)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        Http.Dispose();
        _process.Dispose();
    }
}
