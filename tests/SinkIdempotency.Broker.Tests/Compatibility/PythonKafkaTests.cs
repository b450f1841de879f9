using System.Diagnostics;
using System.Text.Json;
using SinkIdempotency.Broker.Groups;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Compatibility;

/// <summary>Drives the broker with a client we did not write: kafka-python (Debian's python3-kafka).</summary>
public sealed class PythonKafkaTests
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task KafkaPython_ProduceConsumeCommitAndSecondMember_Works()
    {
        if (!await CanImportKafkaAsync())
        {
            Assert.Skip($"{Python} cannot import kafka; install the Debian package python3-kafka (apt-get install python3-kafka).");
        }

        await using var broker = await StartBrokerAsync();
        broker.CreateTopic("py-topic", 2);
        var (exitCode, output, error) = await RunScriptAsync("python_kafka_group.py", $"{broker.BootstrapServers} py-topic py-group");

        exitCode.Should().Be(0, "the script must finish cleanly; stderr: {0}", error);
        var steps = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("step").GetString()!);
        steps.Keys.Should().Equal("produced", "consumed", "committed", "rebalanced", "closed");

        steps["consumed"].GetProperty("values").EnumerateArray().Select(v => v.GetString())
            .Should().BeEquivalentTo(Enumerable.Range(0, 10).Select(i => "v" + i));
        steps["consumed"].GetProperty("assignment").EnumerateArray().Select(v => v.GetInt32()).Should().Equal(0, 1);
        steps["committed"].GetProperty("offsets").GetProperty("0").GetInt64().Should().Be(5);
        steps["committed"].GetProperty("offsets").GetProperty("1").GetInt64().Should().Be(5);

        var first = steps["rebalanced"].GetProperty("first").EnumerateArray().Select(v => v.GetInt32()).ToList();
        var second = steps["rebalanced"].GetProperty("second").EnumerateArray().Select(v => v.GetInt32()).ToList();
        first.Should().ContainSingle();
        second.Should().ContainSingle();
        first.Concat(second).Should().BeEquivalentTo([0, 1], "the joining member takes one of the two partitions");
        steps["rebalanced"].GetProperty("second_position").EnumerateObject().Single().Value.GetInt64()
            .Should().Be(5, "the second member resumes from the first member's commit");

        broker.GetCommittedOffsets("py-group").Select(o => (o.Partition, o.Offset)).Should().Equal((0, 5L), (1, 5L));
        broker.GetGroup("py-group")!.State.Should().Be(BrokerGroupState.Empty, "both consumers left on close");
        broker.GetEndOffset("py-topic", 0).Should().Be(5);
        broker.GetEndOffset("py-topic", 1).Should().Be(5);
    }

    [Fact]
    public async Task KafkaPython_AlterDescribeConfigsDescribeAclsAndDeletedRecords_SeesWhatKafkaWouldShow()
    {
        if (!await CanImportKafkaAsync())
        {
            Assert.Skip($"{Python} cannot import kafka; install the Debian package python3-kafka (apt-get install python3-kafka).");
        }

        await using var broker = await StartBrokerAsync();
        broker.CreateTopic("py-admin", 1, new Dictionary<string, string?> { ["retention.bytes"] = "9999" });
        await ProduceConsumeTests.ProduceValuesAsync(broker, "py-admin", 6);
        broker.DeleteRecordsBefore("py-admin", 0, 4);

        var (exitCode, output, error) = await RunScriptAsync("python_kafka_admin.py", $"{broker.BootstrapServers} py-admin");

        exitCode.Should().Be(0, "the script must finish cleanly; stderr: {0}", error);
        var steps = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("step").GetString()!);
        steps["altered"].GetProperty("errors").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(0);
        broker.GetTopic("py-admin")!.Configs.Should().BeEquivalentTo(new Dictionary<string, string?> { ["retention.ms"] = "120000" }, "AlterConfigs replaces every override");
        var described = steps["described"];
        described.GetProperty("version").GetInt32().Should().Be(2, "kafka-python sends its highest DescribeConfigs version, 2");
        var retention = described.GetProperty("entries").GetProperty("retention.ms");
        retention.GetProperty("value").GetString().Should().Be("120000");
        retention.GetProperty("source").GetInt32().Should().Be(1, "TOPIC_CONFIG");
        retention.GetProperty("synonyms")[0].EnumerateArray().Select(v => v.ToString()).Should().Equal("retention.ms", "120000", "1");
        var bytes = described.GetProperty("entries").GetProperty("retention.bytes");
        bytes.GetProperty("value").GetString().Should().Be("-1", "the legacy AlterConfigs removed the override");
        bytes.GetProperty("source").GetInt32().Should().Be(5, "DEFAULT_CONFIG");
        steps["acls"].GetProperty("error").GetString().Should().Be("SecurityDisabledError");
        steps["consumed"].GetProperty("start").GetInt64().Should().Be(4, "ListOffsets earliest answers the log start offset");
        steps["consumed"].GetProperty("offsets").EnumerateArray().Select(o => o.GetInt64()).Should().Equal(4, 5);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunScriptAsync(string resourceName, string arguments)
    {
        var script = Path.Combine(Path.GetTempPath(), $"{Path.GetFileNameWithoutExtension(resourceName)}_{Guid.NewGuid():N}.py");
        await using (var resource = typeof(PythonKafkaTests).Assembly.GetManifestResourceStream(resourceName)!)
        await using (var file = File.Create(script))
        {
            await resource.CopyToAsync(file, TestContext.Current.CancellationToken);
        }

        try
        {
            return await RunAsync($"{script} {arguments}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<bool> CanImportKafkaAsync()
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        var (exitCode, _, _) = await RunAsync("-c \"import kafka\"");
        return exitCode == 0;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string arguments)
    {
        var start = new ProcessStartInfo(Python, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {arguments} did not finish within {ProcessTimeout}; stdout: {await output}; stderr: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
