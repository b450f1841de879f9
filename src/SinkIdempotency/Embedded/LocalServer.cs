using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SinkIdempotency.Lifecycle;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Embedded;

/// <summary>Runs a throwaway database server on 127.0.0.1 from the machine's binaries: its own instance folder copied from a cached template, a free port, a private socket folder, a non-root server user, and a watchdog that stops it when the harness dies; disposing it stops it and deletes its files.</summary>
/// <typeparam name="TOptions">The engine's options.</typeparam>
/// <remarks>What differs per engine (binaries, template, server arguments, readiness probe, pid file) lives in the engine's own type.</remarks>
public abstract class LocalServer<TOptions> : IAsyncDisposable
    where TOptions : LocalServerOptions
{
    private const int PortAttempts = 3;
    private readonly LifecycleGate _lifecycle;
    private readonly string _engine;
    private readonly string _logFileName;
    private readonly string _evidenceStem;
    private string? _connectionString;

    private protected LocalServer(TOptions options, string engine, string logFileName, string evidenceStem)
    {
        Options = options;
        _engine = engine;
        _logFileName = logFileName;
        _evidenceStem = evidenceStem;
        _lifecycle = new($"The local {engine} server is already started.", retryAfterFailedStart: true);
    }

    /// <summary>Gets the options the server was built with.</summary>
    /// <value>The builder's options.</value>
    public TOptions Options { get; }

    /// <summary>Gets the host the server listens on.</summary>
    /// <value><c>127.0.0.1</c>.</value>
    public string Host => "127.0.0.1";

    /// <summary>Gets the TCP port the server listens on.</summary>
    /// <value>A free port chosen at start; zero before the start.</value>
    public int Port { get; private set; }

    /// <summary>Gets the server's version.</summary>
    /// <value>Empty before the start.</value>
    public string Version { get; private protected set; } = string.Empty;

    /// <summary>Gets this instance's folder (data folder, log, owner marker and a pointer to the socket folder).</summary>
    /// <value>Empty before the start; deleted on dispose.</value>
    public string InstanceDirectory { get; private protected set; } = string.Empty;

    /// <summary>Gets the server's data folder.</summary>
    /// <value>The <c>data</c> folder inside <see cref="InstanceDirectory"/>.</value>
    public string DataDirectory => Path.Combine(InstanceDirectory, "data");

    /// <summary>Gets the private folder of the server's Unix socket.</summary>
    /// <value>
    /// Empty before the start; then a folder under <c>/tmp</c>, mode 700, owned by the server's user, deleted on dispose.
    /// It is kept short whatever the temp folder, because a socket path may not pass 107 bytes.
    /// </value>
    public string SocketDirectory { get; private protected set; } = string.Empty;

    /// <summary>Gets the server log file.</summary>
    /// <value>A file inside <see cref="InstanceDirectory"/>.</value>
    public string LogPath => Path.Combine(InstanceDirectory, _logFileName);

    /// <summary>Gets where the server log was copied on dispose, when a log folder was configured.</summary>
    /// <value><see langword="null"/> until the server is disposed with <see cref="LocalServerOptions.LogDirectory"/> set.</value>
    public string? EvidenceLogPath { get; private set; }

    /// <summary>Gets the process id of the server.</summary>
    /// <value>Zero before the start.</value>
    public int ServerProcessId { get; private set; }

    /// <summary>Gets the connection string for the server's database as its superuser.</summary>
    /// <value>Available once started.</value>
    /// <exception cref="InvalidOperationException">Thrown before the server is started.</exception>
    public string ConnectionString => _connectionString ?? throw NotStarted();

    private Process? ServerProcess { get; set; }

    /// <summary>Finds the binaries, removes instances left by killed runs, copies the template data folder and starts the server.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the server accepts connections.</returns>
    /// <exception cref="Environments.EnvironmentUnavailableException">Thrown when the binaries are missing or the server does not start; the message says what to change.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.StartAsync(this, StartServerAsync, StopAndDeleteAsync, cancellationToken);

    /// <summary>Reads the server log as it is now.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The log text, or an empty string when there is none yet.</returns>
    public Task<string> ReadLogAsync(CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(InstanceDirectory) ? Task.FromResult(string.Empty) : WatchedServer.ReadLogAsync(LogPath, cancellationToken);

    /// <summary>Stops the server, copies its log to the evidence folder if configured, and deletes the instance folder.</summary>
    /// <returns>A task that completes when the server process is gone and its files are deleted.</returns>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _lifecycle.DisposeAsync(StopAndDeleteAsync);
    }

    /// <summary>Prepares the instance (binaries, orphan sweep, template copy) and then calls <see cref="RunOnFreePortAsync"/>.</summary>
    private protected abstract Task StartServerAsync(CancellationToken cancellationToken);

    /// <summary>Returns the connection string for a server on <paramref name="port"/>.</summary>
    private protected abstract string ConnectionStringFor(int port);

    /// <summary>Opens one connection (and prepares what the server must hold once ready); throws while the server is not ready.</summary>
    private protected abstract Task ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Tells whether a probe failure means "not ready yet" rather than a bug.</summary>
    private protected abstract bool IsNotReady(Exception exception);

    /// <summary>Tells whether a start failure says the port was taken between choosing it and binding it.</summary>
    private protected abstract bool IsPortTaken(string outcome);

    /// <summary>Reads the server's own process id from its instance folder.</summary>
    private protected abstract int? ReadServerPid();

    /// <summary>Stops a server process of the given instance that outlived its watchdog.</summary>
    private protected abstract Task StopOrphanServerAsync(string instance);

    /// <summary>Makes the exception of a server that did not start.</summary>
    private protected abstract Exception DidNotStart(string message, Exception? inner = null);

    /// <summary>Releases what the engine holds besides the process (a data source), before the process stops.</summary>
    private protected virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    /// <summary>Tells whether the pid read from the instance folder is this server (a reused pid is not).</summary>
    private protected virtual bool IsServerProcess(int pid) => true;

    /// <summary>Starts the server on a free port, retrying with another port when one is taken before the server binds it.</summary>
    /// <param name="start">Starts the server process on <see cref="Port"/> (under its watchdog).</param>
    /// <param name="describe">Names the server in the failure message, for example its binary and where it came from.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    private protected async Task RunOnFreePortAsync(Func<Process> start, string describe, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            _connectionString = ConnectionStringFor(Port);
            try
            {
                ServerProcess = start();
            }
            catch (System.ComponentModel.Win32Exception exception)
            {
                throw DidNotStart($"Could not start the {_engine} server through 'sh': {exception.Message}.", exception);
            }

            var outcome = await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            if (outcome is null)
            {
                break;
            }

            await StopServerAsync().ConfigureAwait(false);
            if (!IsPortTaken(outcome) || attempt == PortAttempts)
            {
                throw DidNotStart($"The local {_engine} server ({describe}) in {InstanceDirectory} did not start: {outcome}");
            }
        }

        ServerProcessId = ReadServerPid() ?? 0;
    }

    private protected InvalidOperationException NotStarted() =>
        new($"The local {_engine} server is not started; call StartAsync (or {GetType().Name}Builder.StartAsync) first.");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls until the server is ready; returns null when ready, or the reason it will not become ready.</summary>
    private async Task<string?> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Deadline.After(Options.StartTimeout, Options.TimeProvider);
        while (true)
        {
            if (ServerProcess!.HasExited)
            {
                return $"the server exited with code {ServerProcess.ExitCode}. Server log ({LogPath}):{Environment.NewLine}{WatchedServer.Tail(await ReadLogAsync(cancellationToken).ConfigureAwait(false))}";
            }

            try
            {
                await ProbeAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (Exception exception) when (IsNotReady(exception))
            {
                if (deadline.HasPassed)
                {
                    return $"it did not accept connections within {Options.StartTimeout.TotalSeconds:0} s ({exception.Message}); raise the start timeout if the machine is busy. Server log ({LogPath}):{Environment.NewLine}{WatchedServer.Tail(await ReadLogAsync(cancellationToken).ConfigureAwait(false))}";
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopServerAsync()
    {
        var server = ServerProcess;
        ServerProcess = null;
        if (server is null)
        {
            return;
        }

        using (server)
        {
            var pid = ReadServerPid();
            await WatchedServer.StopAsync(server).ConfigureAwait(false);
            if (pid is { } serverPid && IsServerProcess(serverPid)
                && !await ClusterFiles.WaitForExitAsync(serverPid, TimeSpan.FromSeconds(10), Options.TimeProvider, CancellationToken.None).ConfigureAwait(false))
            {
                await StopOrphanServerAsync(InstanceDirectory).ConfigureAwait(false);
            }
        }
    }

    private async Task StopAndDeleteAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        await StopServerAsync().ConfigureAwait(false);
        if (string.IsNullOrEmpty(InstanceDirectory))
        {
            return;
        }

        if (Options.LogDirectory is { } logDirectory && File.Exists(LogPath))
        {
            Directory.CreateDirectory(logDirectory);
            var copy = Path.Combine(logDirectory, string.Create(CultureInfo.InvariantCulture, $"{_evidenceStem}-{Port}-{Path.GetFileName(InstanceDirectory)}.log"));
            File.Copy(LogPath, copy, overwrite: true);
            EvidenceLogPath = copy;
        }

        ClusterFiles.DeleteInstance(InstanceDirectory);
        if (!string.IsNullOrEmpty(SocketDirectory))
        {
            ClusterFiles.DeleteQuietly(SocketDirectory);
        }
    }
}
