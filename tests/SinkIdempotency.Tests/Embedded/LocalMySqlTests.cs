using MySqlConnector;
using SinkIdempotency.Embedded;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Embedded;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalMySqlTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_TwoInstancesAtOnce_ServeIndependentlyAndDisposeRemovesEverything()
    {
        var first = await new LocalMySqlBuilder().StartAsync(Token);
        var second = await new LocalMySqlBuilder().StartAsync(Token);
        var instances = new[] { first, second };
        try
        {
            first.Port.Should().NotBe(second.Port);
            Directory.Exists(first.SocketDirectory).Should().BeTrue();
            await Execute(first, "CREATE TABLE marker (id int); INSERT INTO marker VALUES (1)");
            (await Scalar(first, "SELECT count(*) FROM marker")).Should().Be(1L);
            var act = () => Scalar(second, "SELECT count(*) FROM marker");
            (await act.Should().ThrowAsync<MySqlException>()).Which.ErrorCode.Should().Be(MySqlErrorCode.NoSuchTable, "the second server has its own data folder");
            (await Scalar(first, "SELECT @@bind_address")).Should().Be("127.0.0.1");
            (await Scalar(first, "SELECT @@innodb_flush_log_at_trx_commit")).Should().Be(2UL);
            (await Scalar(first, "SELECT DATABASE()")).Should().Be("sinkidempotency");
            first.Version.Should().NotBeEmpty();
            first.JdbcUrl().Should().Be($"jdbc:mysql://127.0.0.1:{first.Port}/sinkidempotency?user=root");
            if (UnixProcess.IsRoot)
            {
                File.ReadAllText($"/proc/{first.ServerProcessId}/status").Should().NotMatchRegex(@"(?m)^Uid:\s+0\s", "the server never runs as root");
            }
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }

        foreach (var instance in instances)
        {
            LocalServerChecks.ProcessIsGone(instance.ServerProcessId).Should().BeTrue("the server {0} must be stopped", instance.ServerProcessId);
            Directory.Exists(instance.InstanceDirectory).Should().BeFalse();
            Directory.Exists(instance.SocketDirectory).Should().BeFalse();
            LocalServerChecks.PortIsFree(instance.Port).Should().BeTrue();
        }
    }

    [Fact]
    public async Task StartAsync_InstanceWhoseOwnerIsGone_StopsAndRemovesIt()
    {
        var abandoned = await new LocalMySqlBuilder().StartAsync(Token);
        var survivor = await new LocalMySqlBuilder().StartAsync(Token);
        var abandonedPid = abandoned.ServerProcessId;
        var abandonedDirectory = abandoned.InstanceDirectory;
        var abandonedSocket = abandoned.SocketDirectory;
        try
        {
            abandonedPid.Should().BePositive();
            new OwnerMarker(await LocalServerChecks.ExitedPidAsync(Token), null, DateTimeOffset.UtcNow).Write(abandonedDirectory);

            await using var next = await new LocalMySqlBuilder().StartAsync(Token);

            (await Eventually.TrueAsync(() => LocalServerChecks.ProcessIsGone(abandonedPid), TimeSpan.FromSeconds(30))).Should().BeTrue("the orphan server must be stopped");
            (await Eventually.TrueAsync(() => !Directory.Exists(abandonedDirectory), TimeSpan.FromSeconds(30))).Should().BeTrue("the orphan's folder must be removed");
            Directory.Exists(abandonedSocket).Should().BeFalse("the orphan's socket folder goes with it");
            (await Scalar(survivor, "SELECT 1")).Should().Be(1L, "a server whose owner is alive is never touched");
        }
        finally
        {
            await abandoned.DisposeAsync();
            await survivor.DisposeAsync();
        }
    }

    [Fact]
    public async Task StartAsync_BinDirectoryWithoutServer_FailsNamingTheFolderAndWhatToSetAndLeavesNothing()
    {
        var empty = Directory.CreateTempSubdirectory("sinkidempotency-nobin-");
        try
        {
            var server = new LocalMySqlBuilder().WithBinDirectory(empty.FullName).Build();
            await using var scope = server;

            var failure = (await FluentActions.Awaiting(() => server.StartAsync(Token)).Should().ThrowAsync<LocalMySqlException>()).Which;

            failure.Message.Should().Be(
                $"No MariaDB or MySQL server binary (mariadbd or mysqld) was found in {empty.FullName}, the folder LocalMySqlOptions.BinDirectory names. " +
                "Point LocalMySqlOptions.BinDirectory at the folder that holds mariadbd or mysqld (for example /usr/sbin), or unset it to search PATH.");
            server.InstanceDirectory.Should().BeEmpty("nothing was created before the binaries were found");
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task LocateAsync_NoServerAnywhere_NamesThePackageAndTheVariable()
    {
        var empty = Directory.CreateTempSubdirectory("sinkidempotency-nopath-");
        try
        {
            var act = () => MySqlServerBinaries.LocateAsync(new LocalMySqlOptions(), name => name == "PATH" ? empty.FullName : null, [], Token);

            (await act.Should().ThrowAsync<LocalMySqlException>()).Which.Message.Should().Be(
                $"No MariaDB or MySQL server binary (mariadbd or mysqld) was found in {empty.FullName}. " +
                "Install one (Debian/Ubuntu: `apt-get install mariadb-server`; macOS: `brew install mariadb`), or set SINKIDEMPOTENCY_MYSQL_BIN to the folder that holds mariadbd or mysqld.");
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
        await using var server = new LocalMySqlBuilder().WithRootServerUser("si-no-such-user").Build();

        var failure = (await FluentActions.Awaiting(() => server.StartAsync(Token)).Should().ThrowAsync<LocalMySqlException>()).Which;

        failure.Message.Should().Contain("LocalMySqlOptions.RootServerUser 'si-no-such-user'; that user does not exist");
        server.InstanceDirectory.Should().BeEmpty();
    }

    [Fact]
    public async Task StartAsync_WithLogDirectory_KeepsServerLogAfterDispose()
    {
        var logs = Directory.CreateTempSubdirectory("sinkidempotency-mysqllogs-");
        try
        {
            var server = await new LocalMySqlBuilder().WithLogDirectory(logs.FullName).StartAsync(Token);
            await server.DisposeAsync();

            server.EvidenceLogPath.Should().NotBeNull();
            File.ReadAllText(server.EvidenceLogPath!).Should().Contain("ready for connections");
        }
        finally
        {
            logs.Delete(recursive: true);
        }
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new LocalMySqlOptions();

        options.BinDirectory.Should().BeNull();
        options.WorkingDirectory.Should().Be(Path.Combine(Path.GetTempPath(), "sinkidempotency"));
        options.Database.Should().Be("sinkidempotency");
        options.Fsync.Should().BeFalse();
        options.StartTimeout.Should().Be(TimeSpan.FromSeconds(60));
        options.LogDirectory.Should().BeNull();
        options.RootServerUser.Should().BeNull();
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad-name")]
    [InlineData("x`; DROP")]
    public void Build_DatabaseNameNotPlain_ThrowsSayingWhatIsAllowed(string database)
    {
        var act = () => new LocalMySqlBuilder().WithDatabase(database).Build();

        act.Should().Throw<ArgumentException>().WithMessage("Database must be a plain name of ASCII letters, digits and underscores*");
    }

    [Fact]
    public void ConnectionString_BeforeStart_ThrowsSayingWhatToCall()
    {
        var server = new LocalMySqlBuilder().Build();

        var act = () => server.ConnectionString;

        act.Should().Throw<InvalidOperationException>().WithMessage("*call StartAsync*");
    }

    private static async Task Execute(LocalMySql server, string sql)
    {
        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Token);
    }

    private static async Task<object?> Scalar(LocalMySql server, string sql)
    {
        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Token);
    }
}
