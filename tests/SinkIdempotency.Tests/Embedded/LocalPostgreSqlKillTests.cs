using System.Diagnostics;
using SinkIdempotency.Embedded;

namespace SinkIdempotency.Tests.Embedded;

/// <summary>Kills a real owner process with SIGKILL: its server must stop by itself, and the next start must remove its files.</summary>
public sealed class LocalPostgreSqlKillTests
{
    private const string HoldFileVariable = "SINKIDEMPOTENCY_TEST_HOLD_FILE";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_OwnerProcessKilled_ServerStopsByItselfAndNextStartRemovesCluster()
    {
        var holdFile = Path.Combine(Path.GetTempPath(), $"sinkidempotency-hold-{Guid.NewGuid():N}");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", typeof(LocalPostgreSqlKillTests).Assembly.Location, "-method", "*." + nameof(HoldServerUntilKilled) })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment[HoldFileVariable] = holdFile;
        using var child = Process.Start(startInfo)!;
        child.OutputDataReceived += static (_, _) => { };
        child.ErrorDataReceived += static (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        string[] held;
        try
        {
            (await PollAsync(() => File.Exists(holdFile) || child.HasExited, TimeSpan.FromMinutes(3))).Should().BeTrue("the child should start a server");
            child.HasExited.Should().BeFalse("the child holds its server until it is killed");
            held = (await File.ReadAllTextAsync(holdFile, Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            child.Kill(entireProcessTree: false);
            File.Delete(holdFile);
        }

        await child.WaitForExitAsync(Token);
        var postmaster = int.Parse(held[0], System.Globalization.CultureInfo.InvariantCulture);
        var instanceDirectory = held[1];

        (await PollAsync(() => !File.Exists($"/proc/{postmaster}/stat"), TimeSpan.FromSeconds(60)))
            .Should().BeTrue("the watchdog stops the server when its owner dies");
        Directory.Exists(instanceDirectory).Should().BeTrue("nobody was left to delete the folder");

        await using var next = await new LocalPostgreSqlBuilder().StartAsync(Token);

        Directory.Exists(instanceDirectory).Should().BeFalse("the next start removes clusters whose owner is gone");
    }

    [Fact]
    public async Task HoldServerUntilKilled()
    {
        var holdFile = Environment.GetEnvironmentVariable(HoldFileVariable);
        if (holdFile is null)
        {
            Assert.Skip($"Runs only as the child process of {nameof(StartAsync_OwnerProcessKilled_ServerStopsByItselfAndNextStartRemovesCluster)}.");
        }

        await using var server = await new LocalPostgreSqlBuilder().StartAsync(Token);
        await File.WriteAllTextAsync(holdFile + ".tmp", $"{server.ServerProcessId}\n{server.InstanceDirectory}\n", Token);
        File.Move(holdFile + ".tmp", holdFile);

        // Bounded: if the parent never kills this process, it ends by itself.
        await Task.Delay(TimeSpan.FromMinutes(5), Token);
    }

    private static async Task<bool> PollAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50, Token);
        }

        return true;
    }
}
