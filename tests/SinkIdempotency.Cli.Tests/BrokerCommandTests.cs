using System.Diagnostics;
using Confluent.Kafka;

namespace SinkIdempotency.Cli.Tests;

public sealed class BrokerCommandTests
{
    [Fact]
    public async Task Broker_PortZero_PrintsBootstrapAddressFirstAndServesClientsUntilCancelled()
    {
        var output = new SynchronizedStringWriter();
        var error = new SynchronizedStringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = CliApplication.InvokeAsync(["broker", "--port", "0", "--partitions", "3"], output, error, stop.Token);
        var address = await FirstLineAsync(output, run);

        address.Should().MatchRegex(@"^127\.0\.0\.1:\d+$");
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = address }).Build())
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = address }).Build())
        {
            var report = await producer.ProduceAsync("cli-topic", new Message<Null, string> { Value = "hello" }, TestContext.Current.CancellationToken);
            report.Status.Should().Be(PersistenceStatus.Persisted);
            admin.GetMetadata("cli-topic", TimeSpan.FromSeconds(30)).Topics.Single().Partitions.Should().HaveCount(3, "--partitions sets the auto-create partition count");
        }

        await stop.CancelAsync();
        (await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Should().Be(ExitCodes.Ok);
        error.ToString().Should().Contain("Broker stopped.");
    }

    [Theory]
    [InlineData("broker", "--port", "abc")]
    [InlineData("broker", "--port", "70000")]
    [InlineData("broker", "--partitions", "0")]
    [InlineData("broker", "--bogus")]
    [InlineData("no-such-command")]
    public async Task Invoke_InvalidArguments_ReturnsUsageErrorWithMessage(params string[] args)
    {
        var output = new SynchronizedStringWriter();
        var error = new SynchronizedStringWriter();

        var code = await CliApplication.InvokeAsync(args, output, error, TestContext.Current.CancellationToken);

        code.Should().Be(ExitCodes.UsageError);
        error.ToString().Should().NotBeNullOrWhiteSpace();
        output.ToString().Should().BeEmpty("nothing is printed as an address when the broker does not start");
    }

    [Fact]
    public async Task Broker_PortInUse_ReturnsUsageErrorNamingThePort()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var error = new SynchronizedStringWriter();

        var code = await CliApplication.InvokeAsync(["broker", "--port", port.ToString()], new SynchronizedStringWriter(), error, TestContext.Current.CancellationToken);

        code.Should().Be(ExitCodes.UsageError);
        error.ToString().Should().Contain($"127.0.0.1:{port}").And.Contain("--port");
    }

    [Fact]
    public async Task Help_ListsTheBrokerCommand()
    {
        var output = new SynchronizedStringWriter();

        var code = await CliApplication.InvokeAsync(["--help"], output, new SynchronizedStringWriter(), TestContext.Current.CancellationToken);

        code.Should().Be(ExitCodes.Ok);
        output.ToString().Should().Contain("broker");
    }

    private static async Task<string> FirstLineAsync(SynchronizedStringWriter output, Task<int> run)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var text = output.ToString();
            var newline = text.IndexOf('\n');
            if (newline >= 0)
            {
                return text[..newline].TrimEnd('\r');
            }

            if (run.IsCompleted)
            {
                throw new InvalidOperationException($"The broker command ended with {await run} before printing its address.");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The broker command printed no address within 30 s.");
    }
}
