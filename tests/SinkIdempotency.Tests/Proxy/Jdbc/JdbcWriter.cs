using System.Diagnostics;

namespace SinkIdempotency.Tests.Proxy.Jdbc;

/// <summary>Runs <c>JdbcSinkWriter.java</c> with a JDBC driver we did not write (<see cref="JdbcDriver"/>) as a child process: warm-up batches, then one batch on a signal.</summary>
/// <remarks>
/// The drivers come from Debian (<c>libpostgresql-jdbc-java</c>, <c>libmariadb-java</c>), which <c>.ci/run</c> installs.
/// Without a <c>java</c> on the PATH the tests skip; with Java but without the driver they fail, since that is a broken
/// set-up, not a missing capability.
/// </remarks>
internal sealed class JdbcWriter : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stderr;

    private JdbcWriter(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _ready.TrySetException(new InvalidOperationException($"JdbcSinkWriter ended before it was ready: {Output}"));
                return;
            }

            lock (_lines)
            {
                _lines.Add(e.Data);
            }

            if (e.Data == "ready")
            {
                _ready.TrySetResult();
            }
        };
        _stderr = Task.Run(async () =>
        {
            var error = await _process.StandardError.ReadToEndAsync();
            lock (_lines)
            {
                _lines.AddRange(error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "stderr: " + l));
            }
        });
        _process.BeginOutputReadLine();
    }

    /// <summary>Gets every line the program printed so far (standard error prefixed).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    private string Output => string.Join(" | ", Lines);

    /// <summary>Finds Java and the driver's jar; skips the test when there is no Java, fails it when the driver is missing.</summary>
    /// <param name="driver">The driver.</param>
    /// <returns>The <c>java</c> launcher and the jar.</returns>
    public static (string Java, string Jar) Require(JdbcDriver driver)
    {
        var java = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "java"))
            .FirstOrDefault(File.Exists);
        if (java is null)
        {
            Assert.Skip($"No java on the PATH: these tests drive the proxy with {driver.Name} in a JVM.");
        }

        var jar = Environment.GetEnvironmentVariable(driver.JarVariable) is { Length: > 0 } configured ? configured : driver.DebianJar;
        if (!File.Exists(jar))
        {
            throw new InvalidOperationException(
                $"Java is installed but {driver.Name} is not at {jar}: install Debian's {driver.DebianPackage} (.ci/run does), or set {driver.JarVariable} to its jar.");
        }

        return (java, jar);
    }

    /// <summary>Starts the program and waits until it has written its warm-up batches.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="url">The JDBC URL, with <c>socketTimeout</c>.</param>
    /// <param name="table">A table with <c>batch int</c> and <c>seq int</c> columns.</param>
    /// <param name="transaction">Whether autocommit is off (each batch committed) or on.</param>
    /// <param name="warmUps">The batches written before <c>ready</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The running program.</returns>
    public static async Task<JdbcWriter> StartAsync(JdbcDriver driver, string url, string table, bool transaction, int warmUps, CancellationToken cancellationToken)
    {
        var (java, jar) = Require(driver);
        var source = Path.Combine(AppContext.BaseDirectory, "Jdbc", "JdbcSinkWriter.java");
        var start = new ProcessStartInfo(java)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", jar, source, url, table, transaction ? "transaction" : "autocommit", warmUps.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var writer = new JdbcWriter(Process.Start(start)!);
        try
        {
            await writer._ready.Task.WaitAsync(ReadyDeadline, cancellationToken);
        }
        catch (TimeoutException)
        {
            await writer.DisposeAsync();
            throw new TimeoutException($"JdbcSinkWriter was not ready within {ReadyDeadline}: {writer.Output}");
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }

        return writer;
    }

    /// <summary>Runs the program through a fault proxy: warm-up batches while the proxy passes everything, then one batch with the proxy's durable-write gate armed.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="proxy">The proxy the URL points at.</param>
    /// <param name="url">The JDBC URL, with the driver's socket timeout.</param>
    /// <param name="table">A table with <c>batch int</c> and <c>seq int</c> columns.</param>
    /// <param name="transaction">Whether autocommit is off (each batch committed) or on.</param>
    /// <param name="warmUps">The batches written before the gate is armed.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The program's last line (<c>timeout …</c> or <c>no-timeout</c>) and every line it printed.</returns>
    public static async Task<(string Last, IReadOnlyList<string> Lines)> WriteWithDurableReplyWithheldAsync(
        JdbcDriver driver, SinkIdempotency.Proxy.TargetFaultProxy proxy, string url, string table, bool transaction, int warmUps, CancellationToken cancellationToken)
    {
        await using var writer = await StartAsync(driver, url, table, transaction, warmUps, cancellationToken);
        proxy.GetCounters().ResponsesWithheld.Should().Be(0, "the warm-up batches passed while the proxy was not armed");

        proxy.WithholdNextDurableWriteReply();
        var (exitCode, last) = await writer.GoAsync(TimeSpan.FromMinutes(1), cancellationToken);

        exitCode.Should().Be(0, string.Join(Environment.NewLine, writer.Lines));
        return (last, writer.Lines);
    }

    /// <summary>Lets the program write its last batch, and returns its last line once it has ended.</summary>
    /// <param name="deadline">How long the batch and the driver's timeout may take.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The program's exit code and last line (<c>timeout …</c> or <c>no-timeout</c>).</returns>
    public async Task<(int ExitCode, string Last)> GoAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync("go");
        await _process.StandardInput.FlushAsync(cancellationToken);
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(deadline, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"JdbcSinkWriter did not end within {deadline} of its last batch: {Output}");
        }

        await _stderr;
        var lines = Lines;
        return (_process.ExitCode, lines.LastOrDefault(l => !l.StartsWith("stderr: ", StringComparison.Ordinal)) ?? string.Empty);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _stderr;
        _process.Dispose();
    }
}
