using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using SinkIdempotency.Embedded;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Embedded;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalPostgreSqlTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_TwoInstancesAtOnce_ServeIndependentlyAndDisposeRemovesEverything()
    {
        var first = await new LocalPostgreSqlBuilder().StartAsync(Token);
        var second = await new LocalPostgreSqlBuilder().StartAsync(Token);
        var instances = new[] { first, second };
        try
        {
            first.Port.Should().NotBe(second.Port);
            first.InstanceDirectory.Should().NotBe(second.InstanceDirectory);
            await Execute(first, "CREATE TABLE marker (id int); INSERT INTO marker VALUES (1)");
            (await Scalar(first, "SELECT count(*) FROM marker")).Should().Be(1L);
            var act = () => Scalar(second, "SELECT count(*) FROM marker");
            await act.Should().ThrowAsync<PostgresException>().Where(e => e.SqlState == "42P01", "the second cluster has its own catalog");
            (await Scalar(first, "SHOW fsync")).Should().Be("off");
            (await Scalar(first, "SHOW listen_addresses")).Should().Be("127.0.0.1");
            (await first.ReadLogAsync(Token)).Should().Contain("database system is ready to accept connections");
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }

        foreach (var instance in instances)
        {
            ProcessIsGone(instance.ServerProcessId).Should().BeTrue("the postmaster {0} must be stopped", instance.ServerProcessId);
            Directory.Exists(instance.InstanceDirectory).Should().BeFalse();
            PortIsFree(instance.Port).Should().BeTrue();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartAsync_ClusterWhoseOwnerIsGone_StopsAndRemovesIt(bool ownerPidExited)
    {
        var abandoned = await new LocalPostgreSqlBuilder().StartAsync(Token);
        var survivor = await new LocalPostgreSqlBuilder().StartAsync(Token);
        var abandonedPid = abandoned.ServerProcessId;
        var abandonedDirectory = abandoned.InstanceDirectory;
        try
        {
            // Pretend a killed test run owned the first cluster: either its pid is gone, or the pid now belongs to another
            // process (same pid, different start time).
            var marker = ownerPidExited
                ? new OwnerMarker(await ExitedPidAsync(), null, DateTimeOffset.UtcNow)
                : new OwnerMarker(Environment.ProcessId, 1, DateTimeOffset.UtcNow);
            marker.Write(abandonedDirectory);

            await using var next = await new LocalPostgreSqlBuilder().StartAsync(Token);

            // Test processes running at the same time sweep too, and one of them may be finishing this orphan when the
            // start returns, so the two checks wait (with a deadline) rather than look once.
            (await Eventually.TrueAsync(() => ProcessIsGone(abandonedPid), TimeSpan.FromSeconds(30))).Should().BeTrue("the orphan postmaster must be stopped");
            (await Eventually.TrueAsync(() => !Directory.Exists(abandonedDirectory), TimeSpan.FromSeconds(30))).Should().BeTrue("the orphan's folder must be removed");
            (await Scalar(survivor, "SELECT 1")).Should().Be(1, "a cluster whose owner is alive is never touched");
            Directory.Exists(survivor.InstanceDirectory).Should().BeTrue();
        }
        finally
        {
            await abandoned.DisposeAsync();
            await survivor.DisposeAsync();
        }
    }

    [Fact]
    public async Task StartAsync_BinDirectoryWithoutBinaries_FailsNamingTheFolderWithoutLookingElsewhere()
    {
        var empty = Directory.CreateTempSubdirectory("sinkidempotency-nobin-");
        try
        {
            var act = () => new LocalPostgreSqlBuilder().WithBinDirectory(empty.FullName).StartAsync(Token);

            var failure = (await act.Should().ThrowAsync<LocalPostgreSqlException>()).Which;
            failure.Failure.Should().Be(LocalPostgreSqlFailure.ConfiguredBinariesInvalid);
            failure.Message.Should().Be(
                $"PostgreSQL server binaries (postgres and initdb) were not found in {empty.FullName}, the folder LocalPostgreSqlOptions.BinDirectory names. " +
                "Point LocalPostgreSqlOptions.BinDirectory at the folder that holds them (for example /usr/lib/postgresql/17/bin), or unset it to use the machine's PostgreSQL or a downloaded one.");
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_AsRootWithAServerUserThatDoesNotExist_FailsNamingItAndLeavesNothing()
    {
        Assert.SkipUnless(UnixProcess.IsRoot, "Only a harness running as root starts the server as another user.");
        await using var server = new LocalPostgreSql(new LocalPostgreSqlOptions { RootServerUser = "si-no-such-user" });

        var failure = (await FluentActions.Awaiting(() => server.StartAsync(Token)).Should().ThrowAsync<LocalPostgreSqlException>()).Which;

        failure.Failure.Should().Be(LocalPostgreSqlFailure.ServerUser);
        failure.Message.Should().Contain("LocalPostgreSqlOptions.RootServerUser 'si-no-such-user'; that user does not exist");
        server.InstanceDirectory.Should().BeEmpty("nothing was created before the user was checked");
    }

    [Fact]
    public async Task StartAsync_TempFolderFarPastTheSocketLimit_ServesThroughAShortPrivateSocketFolderAndRemovesIt()
    {
        // 19 characters of temp folder were enough to push the socket path past 107 bytes; this one is 150 long.
        var root = Directory.CreateTempSubdirectory("sinkidempotency-long-");

        // As root the server runs as another user, who must traverse the folder (a private 700 temp folder would stop it).
        File.SetUnixFileMode(root.FullName, File.GetUnixFileMode(root.FullName) | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        var working = Path.Combine(root.FullName, new string('t', Math.Max(20, 150 - root.FullName.Length - 1)));
        try
        {
            var server = await new LocalPostgreSqlBuilder().WithWorkingDirectory(working).StartAsync(Token);
            string socket;
            try
            {
                socket = server.SocketDirectory;
                server.InstanceDirectory.Should().StartWith(working);
                Path.GetDirectoryName(socket).Should().Be("/tmp");
                Path.GetFileName(socket).Should().StartWith($"sipg-{Environment.ProcessId}-");
                File.GetUnixFileMode(socket).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "only the server's user may reach the socket");
                (await Scalar(server, "SHOW unix_socket_directories")).Should().Be(socket);
                (await Scalar(server, "SELECT 1")).Should().Be(1);
                File.Exists(Path.Combine(socket, $".s.PGSQL.{server.Port}")).Should().BeTrue();
            }
            finally
            {
                await server.DisposeAsync();
            }

            Directory.Exists(socket).Should().BeFalse("the socket folder goes with the instance");
            Directory.Exists(server.InstanceDirectory).Should().BeFalse();
        }
        finally
        {
            ClusterFiles.DeleteQuietly(root.FullName);
        }
    }

    [Fact]
    public async Task StartAsync_SocketFolderWhoseOwnerIsGone_RemovesItAndKeepsLiveOnes()
    {
        await using var live = await new LocalPostgreSqlBuilder().StartAsync(Token);
        var orphan = Path.Combine("/tmp", $"sipg-{await ExitedPidAsync()}-{Guid.NewGuid().ToString("N")[..10]}");
        Directory.CreateDirectory(orphan);
        new OwnerMarker(await ExitedPidAsync(), null, DateTimeOffset.UtcNow).Write(orphan);

        await using var next = await new LocalPostgreSqlBuilder().StartAsync(Token);

        (await Eventually.TrueAsync(() => !Directory.Exists(orphan), TimeSpan.FromSeconds(30))).Should().BeTrue("a socket folder whose owner died is swept");
        Directory.Exists(live.SocketDirectory).Should().BeTrue("a live server's socket folder is never touched");
        (await Scalar(live, "SELECT 1")).Should().Be(1);
    }

    [Fact]
    public async Task StartAsync_WithLogDirectory_KeepsServerLogAfterDispose()
    {
        var evidence = Directory.CreateTempSubdirectory("sinkidempotency-evidence-");
        try
        {
            var server = await new LocalPostgreSqlBuilder().WithLogDirectory(evidence.FullName).WithFsync(true).StartAsync(Token);
            (await Scalar(server, "SHOW fsync")).Should().Be("on");
            await server.DisposeAsync();

            server.EvidenceLogPath.Should().NotBeNull().And.StartWith(evidence.FullName);
            (await File.ReadAllTextAsync(server.EvidenceLogPath!, Token)).Should().Contain("database system is shut down");
        }
        finally
        {
            evidence.Delete(recursive: true);
        }
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new LocalPostgreSqlOptions();

        options.BinDirectory.Should().BeNull();
        options.WorkingDirectory.Should().Be(Path.Combine(Path.GetTempPath(), "sinkidempotency"));
        options.Fsync.Should().BeFalse();
        options.StartTimeout.Should().Be(TimeSpan.FromSeconds(60));
        options.LogDirectory.Should().BeNull();
        options.ServerSettings.Should().BeEmpty();
        options.RootServerUser.Should().BeNull();
        options.AllowDownload.Should().BeTrue();
        options.BundleCacheDirectory.Should().BeNull();
        options.BundleVersion.Should().Be("17.10.0-beta.17");
        options.BundleRegistry.Should().BeNull();
    }

    [Fact]
    public async Task DisposeAsync_Twice_SecondCallDoesNothing()
    {
        var server = await new LocalPostgreSqlBuilder().StartAsync(Token);
        var instance = server.InstanceDirectory;

        await server.DisposeAsync();
        var again = async () => await server.DisposeAsync();

        await again.Should().NotThrowAsync();
        Directory.Exists(instance).Should().BeFalse();
    }

    [Fact]
    public void ConnectionString_BeforeStart_ThrowsSayingWhatToCall()
    {
        var server = new LocalPostgreSqlBuilder().Build();

        var act = () => server.ConnectionString;

        act.Should().Throw<InvalidOperationException>().WithMessage("*call StartAsync*");
    }

    private static async Task Execute(LocalPostgreSql server, string sql)
    {
        await using var command = server.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Token);
    }

    private static async Task<object?> Scalar(LocalPostgreSql server, string sql)
    {
        await using var command = server.DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync(Token);
    }

    private static bool ProcessIsGone(int pid) => LocalServerChecks.ProcessIsGone(pid);

    private static bool PortIsFree(int port) => LocalServerChecks.PortIsFree(port);

    private static Task<int> ExitedPidAsync() => LocalServerChecks.ExitedPidAsync(Token);
}
