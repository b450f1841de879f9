using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using SinkIdempotency.Environments;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Environments;

/// <summary>
/// Runs this test assembly again (xUnit native command line) as a child "harness" that starts an embedded environment, SIGKILLs that child, and
/// checks that its worker and PostgreSQL processes and its ports are gone: a killed test run leaves nothing behind.
/// </summary>
public sealed class EmbeddedEnvironmentHostKillTests
{
    private const string HoldFileVariable = "SINKIDEMPOTENCY_TEST_HOLD_FILE";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledHost_EnvironmentRunning_WorkersAndPostgreSqlDieAndPortsClose()
    {
        var holdFile = Path.Combine(Path.GetTempPath(), $"si-hold-{Guid.NewGuid():N}.txt");
        var start = ChildStartInfo();
        start.Environment[HoldFileVariable] = holdFile;
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync(Token);
        try
        {
            var line = await WaitForLineAsync(holdFile, child);
            var numbers = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var (pids, ports) = (numbers[..2], numbers[2..]);
            foreach (var pid in pids)
            {
                IsAlive(pid).Should().BeTrue($"process {pid} runs while the harness lives");
            }

            child.Kill(entireProcessTree: false);
            await child.WaitForExitAsync(Token);

            foreach (var pid in pids)
            {
                (await Eventually.TrueAsync(() => !IsAlive(pid), TimeSpan.FromSeconds(60))).Should().BeTrue($"process {pid} must die with the killed harness");
            }

            foreach (var port in ports)
            {
                (await Eventually.TrueAsync(() => PortClosed(port), TimeSpan.FromSeconds(60))).Should().BeTrue($"port {port} must close with the killed harness");
            }
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            File.Delete(holdFile);
        }
    }

    /// <summary>The child side: starts an environment, reports its worker pid, postmaster pid and ports, and waits to be killed.</summary>
    [Fact(Explicit = true)]
    public async Task HoldEnvironmentUntilKilled()
    {
        var holdFile = Environment.GetEnvironmentVariable(HoldFileVariable);
        Assert.SkipWhen(holdFile is null, $"Runs only as the child of KilledHost_EnvironmentRunning_WorkersAndPostgreSqlDieAndPortsClose ({HoldFileVariable} unset).");
        await using var environment = await new EmbeddedEnvironmentBuilder().StartAsync(Token);
        var worker = (await environment.ListWorkersAsync(Token)).Single();
        var line = string.Join(' ', worker.ProcessId!.Value, environment.PostgreSql.ServerProcessId, worker.RestUrl.Port, environment.PostgreSql.Port);
        await File.WriteAllTextAsync(holdFile! + ".tmp", line + "\n", Token);
        File.Move(holdFile + ".tmp", holdFile!);
        await Task.Delay(TimeSpan.FromMinutes(5), Token);
    }

    private static ProcessStartInfo ChildStartInfo()
    {
        var assembly = Assembly.GetExecutingAssembly().Location;
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.FileName = host;
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(assembly);
        }
        else
        {
            start.FileName = host;
        }

        foreach (var argument in (string[])["-method", "*HoldEnvironmentUntilKilled", "-explicit", "only"])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task<string> WaitForLineAsync(string file, Process child)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(file))
            {
                return (await File.ReadAllTextAsync(file, Token)).Trim();
            }

            if (child.HasExited)
            {
                throw new InvalidOperationException($"The child harness exited with {child.ExitCode} before starting its environment.");
            }

            await Task.Delay(100, Token);
        }

        throw new TimeoutException("The child harness did not start its environment within 3 minutes.");
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            return File.Exists(stat) && File.ReadAllText(stat).Split(' ')[2] != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool PortClosed(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
