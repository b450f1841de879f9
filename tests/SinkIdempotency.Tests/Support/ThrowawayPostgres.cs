using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SinkIdempotency.Tests.Support;

/// <summary>
/// A PostgreSQL cluster in a temp folder for the proxy tests, started with pg_ctl (as the postgres user when we run as root).
/// Stands in until the target branch's LocalPostgreSql is merged.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private string? _dataDirectory;
    private bool _started;

    public int Port { get; private set; }

    public string? SkipReason { get; private set; }

    public string ConnectionString(int port) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=5";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            SkipReason = $"PostgreSQL server binaries not found under {BinDirectory}; install the postgresql-15 package.";
            return;
        }

        _dataDirectory = Directory.CreateTempSubdirectory("si-proxy-pg-").FullName;
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["postgres:postgres", _dataDirectory], asPostgres: false);
        }

        await RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", _dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], asPostgres: true);
        Port = FreePort();
        await RunAsync(
            Path.Combine(BinDirectory, "pg_ctl"),
            ["-D", _dataDirectory, "-w", "-t", "60", "-l", Path.Combine(_dataDirectory, "server.log"), "-o", $"-p {Port} -k {_dataDirectory} -c listen_addresses=127.0.0.1", "start"],
            asPostgres: true);
        _started = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataDirectory is null)
        {
            return;
        }

        if (_started)
        {
            await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], asPostgres: true);
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task RunAsync(string file, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres && Environment.UserName == "root" ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        };
        if (asPostgres && Environment.UserName == "root")
        {
            foreach (var argument in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
