using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SinkIdempotency.Environments;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Environments;

public sealed class ExternalEnvironmentReachabilityTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_NothingListens_NamesEveryPartQuicklyWithoutSecrets()
    {
        var kafka = Ports.Closed();
        var connect = Ports.Closed();
        var postgres = Ports.Closed();
        var builder = new ExternalEnvironmentBuilder()
            .WithBootstrapServers($"127.0.0.1:{kafka}")
            .WithKafkaSetting("sasl.username", "harness")
            .WithKafkaSetting("sasl.password", "kafka-s3cret")
            .WithConnectUrl(new Uri($"http://127.0.0.1:{connect}/"))
            .WithConnectBasicAuthentication("admin", "connect-s3cret")
            .WithTarget($"Host=127.0.0.1;Port={postgres};Database=sinks;Username=harness;Password=pg-s3cret")
            .WithReachabilityTimeout(TimeSpan.FromSeconds(3));
        var clock = Stopwatch.StartNew();

        var failure = (await FluentActions.Awaiting(() => builder.StartAsync(Token)).Should().ThrowAsync<EnvironmentStartException>()).Which;

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "every check is bounded by the 3 s reachability timeout and they run at the same time");
        failure.Message.Should().StartWith("The external environment could not start: ")
            .And.Contain($"Kafka at 127.0.0.1:{kafka} did not answer within 3 s")
            .And.Contain("Check SINKIDEMPOTENCY_BOOTSTRAP_SERVERS and the security settings")
            .And.Contain($"Kafka Connect is not answering: Kafka Connect at http://127.0.0.1:{connect}/ could not be reached")
            .And.Contain($"PostgreSQL at 127.0.0.1:{postgres} (database sinks, user harness) is not reachable")
            .And.Contain("Check SINKIDEMPOTENCY_TARGET")
            .And.EndWith("Nothing was created on the cluster.")
            .And.NotContain("s3cret");
    }

    [Fact]
    public async Task StartAsync_PasswordsThatAreCommonWords_KeepsTheMessageReadable()
    {
        // Replacing a password's text wherever it occurs turned "external" into "e[redacted]ternal" and "connect" into "[redacted]".
        var builder = new ExternalEnvironmentBuilder()
            .WithBootstrapServers($"127.0.0.1:{Ports.Closed()}")
            .WithKafkaSetting("sasl.username", "harness")
            .WithKafkaSetting("sasl.password", "connect")
            .WithConnectUrl(new Uri($"http://127.0.0.1:{Ports.Closed()}/"))
            .WithConnectBasicAuthentication("admin", "e")
            .WithTarget($"Host=127.0.0.1;Port={Ports.Closed()};Database=sinks;Username=harness;Password=x")
            .WithReachabilityTimeout(TimeSpan.FromSeconds(2));

        var failure = (await FluentActions.Awaiting(() => builder.StartAsync(Token)).Should().ThrowAsync<EnvironmentStartException>()).Which;

        failure.Message.Should().StartWith("The external environment could not start: ")
            .And.Contain("Kafka Connect is not answering")
            .And.Contain("Check SINKIDEMPOTENCY_BOOTSTRAP_SERVERS and the security settings")
            .And.EndWith("Nothing was created on the cluster.")
            .And.NotContain("[redacted]", "no secret is printed in this message, so nothing is replaced");
    }

    [Fact]
    public async Task StartAsync_SettingLibrdkafkaRejects_SaysWhichVariablesToCheck()
    {
        var builder = new ExternalEnvironmentBuilder()
            .WithBootstrapServers($"127.0.0.1:{Ports.Closed()}")
            .WithKafkaSetting("security.protocol", "carrier-pigeon")
            .WithConnectUrl(new Uri($"http://127.0.0.1:{Ports.Closed()}/"))
            .WithTarget($"Host=127.0.0.1;Port={Ports.Closed()}")
            .WithReachabilityTimeout(TimeSpan.FromSeconds(2));

        var failure = (await FluentActions.Awaiting(() => builder.StartAsync(Token)).Should().ThrowAsync<EnvironmentStartException>()).Which;

        failure.Message.Should().Contain("Kafka: the client settings were rejected (").And.Contain("SINKIDEMPOTENCY_KAFKA_* variables");
    }

    [Fact]
    public async Task StartAsync_ConnectRefusesTheRequest_SaysWhichCredentialsToSet()
    {
        using var listener = new HttpListenerStub("<html>not connect</html>", HttpStatusCode.Unauthorized);
        var builder = new ExternalEnvironmentBuilder()
            .WithBootstrapServers($"127.0.0.1:{Ports.Closed()}")
            .WithConnectUrl(listener.Url)
            .WithTarget($"Host=127.0.0.1;Port={Ports.Closed()}")
            .WithReachabilityTimeout(TimeSpan.FromSeconds(2));

        var failure = (await FluentActions.Awaiting(() => builder.StartAsync(Token)).Should().ThrowAsync<EnvironmentStartException>()).Which;

        failure.Message.Should().Contain($"Kafka Connect at {listener.Url} refused the request (401 Unauthorized); set SINKIDEMPOTENCY_CONNECT_USER and SINKIDEMPOTENCY_CONNECT_PASSWORD");
    }


    /// <summary>Answers every HTTP request on 127.0.0.1 with one status and body, like a proxy in front of Connect that wants credentials.</summary>
    private sealed class HttpListenerStub : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public HttpListenerStub(string body, HttpStatusCode status)
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    await using var stream = client.GetStream();
                    var buffer = new byte[8192];
                    _ = await stream.ReadAsync(buffer, _stop.Token);
                    var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                    var head = $"HTTP/1.1 {(int)status} {status}\r\nContent-Type: text/html\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), _stop.Token);
                    await stream.WriteAsync(bytes, _stop.Token);
                }
            });
        }

        public Uri Url { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The accept loop ends by cancellation.
            }

            _stop.Dispose();
        }
    }
}
