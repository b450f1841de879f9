using System.Diagnostics;
using SinkIdempotency.Testcontainers;

namespace SinkIdempotency.Testcontainers.Tests;

/// <summary>Checks with a real PostgreSQL 15 server binary that our flags, appended after the Testcontainers module's, leave durability on.</summary>
public sealed class PostgreSqlDurabilityTests
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";

    // Testcontainers.PostgreSql 4.16's PostgreSqlBuilder.Init() adds these; WithCommand appends ours after them.
    private static readonly string[] ModuleFlags = ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"];

    [Theory]
    [InlineData("fsync")]
    [InlineData("full_page_writes")]
    [InlineData("synchronous_commit")]
    public async Task DurabilityCommand_AfterTheModulesFlags_WinsInARealServer(string setting)
    {
        Assert.SkipUnless(File.Exists(Path.Combine(Binaries, "postgres")) && File.Exists("/usr/sbin/runuser") && Environment.UserName == "root", "Needs PostgreSQL 15 server binaries, runuser, and root (to run them as the postgres user).");
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        await RunAsync("chown", ["postgres", folder.Path]);
        await RunAsync("/usr/sbin/runuser", ["-u", "postgres", "--", Path.Combine(Binaries, "initdb"), "-D", data, "--no-sync"]);

        var withModuleOnly = await RunAsync("/usr/sbin/runuser", ["-u", "postgres", "--", Path.Combine(Binaries, "postgres"), "-D", data, "-C", setting, .. ModuleFlags]);
        var withOurs = await RunAsync("/usr/sbin/runuser", ["-u", "postgres", "--", Path.Combine(Binaries, "postgres"), "-D", data, "-C", setting, .. ModuleFlags, .. ContainerSettings.PostgreSqlDurabilityCommand]);

        withModuleOnly.Trim().Should().Be("off", "the module alone switches durability off");
        withOurs.Trim().Should().Be("on");
    }

    private static async Task<string> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.Should().Be(0, $"{file} {string.Join(' ', arguments)} failed: {await error}");
        return await output;
    }
}
