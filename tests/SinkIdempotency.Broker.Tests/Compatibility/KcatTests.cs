using System.Diagnostics;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Compatibility;

/// <summary>Drives the broker with kcat (librdkafka's command-line client, a separate process).</summary>
public sealed class KcatTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Kcat_ProduceThenConsumeToEnd_RoundTripsKeysAndValues()
    {
        var kcat = FindKcat();
        if (kcat is null)
        {
            Assert.Skip("kcat is not installed (apt-get install kcat); the compatibility test needs it on PATH.");
        }

        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic("kcat");
        var lines = Enumerable.Range(0, 25).Select(i => $"key{i}:value {i}").ToList();

        var produce = await RunAsync(kcat, $"-b {broker.BootstrapServers} -P -t {topic} -K: -z gzip", string.Join('\n', lines) + "\n");
        produce.ExitCode.Should().Be(0, produce.Error);
        broker.GetEndOffset(topic, 0).Should().Be(25);

        var consume = await RunAsync(kcat, $"-b {broker.BootstrapServers} -C -t {topic} -o beginning -e -f %k=%s@%o\\n", null);
        consume.ExitCode.Should().Be(0, consume.Error);
        consume.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal(Enumerable.Range(0, 25).Select(i => $"key{i}=value {i}@{i}"));

        var metadata = await RunAsync(kcat, $"-b {broker.BootstrapServers} -L -t {topic}", null);
        metadata.ExitCode.Should().Be(0, metadata.Error);
        metadata.Output.Should().Contain($"broker 1 at 127.0.0.1:{broker.Port}").And.Contain($"topic \"{topic}\" with 1 partitions");
    }

    private static string? FindKcat() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kcat"))
            .FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string kcat, string arguments, string? input)
    {
        var start = new ProcessStartInfo(kcat, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kcat {arguments} did not finish within {ProcessTimeout}; stderr: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
