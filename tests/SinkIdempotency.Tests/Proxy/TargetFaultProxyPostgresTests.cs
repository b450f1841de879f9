using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;
using SinkIdempotency.Proxy;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Proxy;

public sealed partial class TargetFaultProxyPostgresTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pass_QueryThroughProxy_ReturnsResultAndCountsBytesBothWays()
    {
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);

        var result = await ScalarAsync(connection, "SELECT 40 + 2");

        result.Should().Be(42);
        var counters = proxy.GetCounters();
        counters.ConnectionsAccepted.Should().Be(1);
        counters.ConnectionsOpen.Should().Be(1);
        counters.BytesClientToTarget.Should().BePositive();
        counters.BytesTargetToClient.Should().BePositive();
        counters.ResponsesWithheld.Should().Be(0);
    }

    [Fact]
    public async Task AddLatency_QueryThroughProxy_TakesAtLeastTheLatency()
    {
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);
        var latency = TimeSpan.FromMilliseconds(400);

        proxy.AddLatency(latency);
        var watch = Stopwatch.StartNew();
        var result = await ScalarAsync(connection, "SELECT 7");
        watch.Stop();

        result.Should().Be(7);
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(latency);
        proxy.Behaviour.Should().Be(TargetFaultBehaviour.Latency);
        proxy.History.Select(e => e.Behaviour).Should().Equal(TargetFaultBehaviour.Pass, TargetFaultBehaviour.Latency);
        proxy.History[^1].Latency.Should().Be(latency);
    }

    [Fact]
    public async Task Pass_AfterLatency_QueryIsFastAgain()
    {
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);
        proxy.AddLatency(TimeSpan.FromSeconds(3));

        proxy.Pass();
        var watch = Stopwatch.StartNew();
        await ScalarAsync(connection, "SELECT 1");

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task WithholdResponses_Insert_ClientTimesOutButRowIsCommitted()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);

        proxy.WithholdResponses();
        var insert = () => ExecuteAsync(connection, $"INSERT INTO {table} (id) VALUES (1)", commandTimeoutSeconds: 1);

        (await insert.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(e => IsTimeout(e));
        (await CountDirectAsync(table)).Should().Be(1, "the INSERT reached the server and committed; only the reply was withheld");
        var counters = proxy.GetCounters();
        counters.ResponsesWithheld.Should().BePositive();
        counters.BytesWithheld.Should().BePositive();
        counters.ConnectionsWithheld.Should().BeGreaterThanOrEqualTo(1, "Npgsql also opens cancel-request connections through the proxy, and those are withheld too");
    }

    [Fact]
    public async Task WithholdResponses_NewConnection_CannotOpen()
    {
        await using var proxy = await StartProxyAsync();

        proxy.WithholdResponses();
        var open = () => OpenThroughProxyAsync(proxy, connectTimeoutSeconds: 2);

        await open.Should().ThrowAsync<Exception>();
        proxy.GetCounters().ResponsesWithheld.Should().BePositive("the server's authentication reply was discarded");
    }

    [Fact]
    public async Task WithholdNextResponse_TwoConnections_OnlyTheNextWriterIsBlackholedAndSwitchDisarms()
    {
        var table = await CreateTableAsync();
        await using var proxy = await StartProxyAsync();
        await using var victim = await OpenThroughProxyAsync(proxy);
        await using var bystander = await OpenThroughProxyAsync(proxy);

        proxy.WithholdNextResponse();
        var insert = () => ExecuteAsync(victim, $"INSERT INTO {table} (id) VALUES (1)", commandTimeoutSeconds: 1);

        await insert.Should().ThrowAsync<NpgsqlException>();
        proxy.Behaviour.Should().Be(TargetFaultBehaviour.Pass);
        (await ScalarAsync(bystander, $"SELECT count(*)::int FROM {table}")).Should().Be(1);
        await using var fresh = await OpenThroughProxyAsync(proxy);
        (await ScalarAsync(fresh, "SELECT 5")).Should().Be(5);
        proxy.GetCounters().ConnectionsWithheld.Should().Be(1);
    }

    [Fact]
    public async Task ResetConnections_OpenConnection_ClientSeesBrokenConnection()
    {
        await using var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);

        proxy.ResetConnections();
        var query = () => ScalarAsync(connection, "SELECT 1");

        (await query.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(e => HasInner<IOException>(e) || HasInner<SocketException>(e));
        connection.FullState.Should().HaveFlag(System.Data.ConnectionState.Broken);
        proxy.GetCounters().ConnectionsReset.Should().Be(1);
    }

    [Fact]
    public async Task ResetConnections_NewConnection_OpenFailsUntilPass()
    {
        await using var proxy = await StartProxyAsync();

        proxy.ResetConnections();
        var open = () => OpenThroughProxyAsync(proxy);

        await open.Should().ThrowAsync<NpgsqlException>();
        proxy.Pass();
        await using var connection = await OpenThroughProxyAsync(proxy);
        (await ScalarAsync(connection, "SELECT 3")).Should().Be(3);
    }

    [Fact]
    public async Task RefuseConnections_NewConnection_ConnectIsRefusedAndOpenOneKeepsWorking()
    {
        await using var proxy = await StartProxyAsync();
        await using var open = await OpenThroughProxyAsync(proxy);
        var port = proxy.Port;

        proxy.RefuseConnections();
        var connect = () => OpenThroughProxyAsync(proxy);

        (await connect.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(
            e => FindInner<SocketException>(e) != null && FindInner<SocketException>(e)!.SocketErrorCode == SocketError.ConnectionRefused);
        (await ScalarAsync(open, "SELECT 9")).Should().Be(9);
        proxy.Pass();
        proxy.Port.Should().Be(port);
        await using var again = await OpenThroughProxyAsync(proxy);
        (await ScalarAsync(again, "SELECT 4")).Should().Be(4);
        proxy.GetCounters().RefusedPeriods.Should().Be(1);
    }

    [Fact]
    public async Task DisposeAsync_OpenConnection_PortStopsAcceptingAndConnectionBreaks()
    {
        var proxy = await StartProxyAsync();
        await using var connection = await OpenThroughProxyAsync(proxy);
        var port = proxy.Port;

        await proxy.DisposeAsync();

        var query = () => ScalarAsync(connection, "SELECT 1");
        await query.Should().ThrowAsync<NpgsqlException>();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connect = () => socket.ConnectAsync("127.0.0.1", port, Token).AsTask();
        await connect.Should().ThrowAsync<SocketException>();
    }

    private async Task<TargetFaultProxy> StartProxyAsync()
    {
        return await TargetFaultProxy.StartAsync(new TargetFaultProxyOptions { TargetPort = postgres.Port }, Token);
    }

    private async Task<NpgsqlConnection> OpenThroughProxyAsync(TargetFaultProxy proxy, int connectTimeoutSeconds = 5, int commandTimeoutSeconds = 30)
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString(proxy.Port))
        {
            Timeout = connectTimeoutSeconds,
            CommandTimeout = commandTimeoutSeconds,
            CancellationTimeout = -1,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(Token);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<string> CreateTableAsync(string columns = "id int PRIMARY KEY")
    {
        var table = $"proxy_{Guid.NewGuid():N}"[..20];
        await using var connection = new NpgsqlConnection(postgres.ConnectionString(postgres.Port));
        await connection.OpenAsync(Token);
        await ExecuteAsync(connection, $"CREATE TABLE {table} ({columns})");
        return table;
    }

    private async Task<int> CountDirectAsync(string table, string where = "true")
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString(postgres.Port));
        await connection.OpenAsync(Token);
        return await ScalarAsync(connection, $"SELECT count(*)::int FROM {table} WHERE {where}");
    }

    private static async Task<int> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 30 };
        return Convert.ToInt32(await command.ExecuteScalarAsync(Token), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, int commandTimeoutSeconds = 30)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = commandTimeoutSeconds };
        await command.ExecuteNonQueryAsync(Token);
    }

    private static bool IsTimeout(Exception e) => HasInner<TimeoutException>(e);

    private static bool HasInner<T>(Exception e)
        where T : Exception => FindInner<T>(e) is not null;

    private static T? FindInner<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
