using SinkIdempotency.Targets;
using SinkIdempotency.Targets.Files;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Targets.Files;

public sealed class FileSinkReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("file-sink-reader-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Line(string topic, int partition, long offset, string eventId, string payload = "p") =>
        $$$"""{"topic":"{{{topic}}}","partition":{{{partition}}},"offset":{{{offset}}},"key":"k","value":{"event_id":"{{{eventId}}}","key":"k","version":{{{offset + 1}}},"seq":{{{offset}}},"payload":"{{{payload}}}"}}""" + "\n";

    private async Task<List<TargetRow>> ReadAllAsync(JsonValueMapping? mapping = null)
    {
        var rows = new List<TargetRow>();
        await foreach (var row in new FileSinkReader(_directory, mapping).ReadRowsAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public void Mapping_Defaults_MatchWorkloadFields()
    {
        var mapping = JsonValueMapping.Default;

        mapping.EventIdField.Should().Be("event_id");
        mapping.KeyField.Should().Be("key");
        mapping.VersionField.Should().Be("version");
        mapping.HashedField.Should().Be("payload");
    }

    [Fact]
    public async Task Read_MissingDirectory_NoRows()
    {
        Directory.Delete(_directory);

        var rows = await ReadAllAsync();

        rows.Should().BeEmpty();
        Directory.CreateDirectory(_directory);
    }

    [Fact]
    public async Task Read_RecordLines_RowsCarryCoordinatesAndFields()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "orders+0+0000000000.jsonl"), Line("orders", 0, 0, "e0", "x") + Line("orders", 0, 1, "e1"), TestContext.Current.CancellationToken);

        var rows = await ReadAllAsync();

        rows.Should().Equal(
            new TargetRow("e0", "k", 1, ValueHash.Compute("x"), new SourcePosition("orders", 0, 0)),
            new TargetRow("e1", "k", 2, ValueHash.Compute("p"), new SourcePosition("orders", 0, 1)));
    }

    [Fact]
    public async Task Read_SameLineAppendedTwice_TwoRows()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "orders+0.jsonl"), Line("orders", 0, 5, "e5") + Line("orders", 0, 5, "e5"), TestContext.Current.CancellationToken);

        var rows = await ReadAllAsync();

        rows.Should().HaveCount(2).And.OnlyContain(r => r.EventId == "e5");
    }

    [Fact]
    public async Task Read_TempFilesAndUnterminatedLastLine_NotRead()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "orders+0+0000000000.jsonl.tmp"), Line("orders", 0, 0, "tmp"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_directory, "orders+1.jsonl"), Line("orders", 1, 0, "done") + Line("orders", 1, 1, "half").TrimEnd('\n'), TestContext.Current.CancellationToken);

        var rows = await ReadAllAsync();

        rows.Select(r => r.EventId).Should().Equal("done");
    }

    [Fact]
    public async Task Read_EnvelopeBareValueAndGarbage_UnwrapsAndKeepsGarbageAsRowWithoutId()
    {
        const string envelope = """{"schema":{"type":"struct","fields":[]},"payload":{"event_id":"env","key":null,"version":null,"payload":"q"}}""";
        await File.WriteAllTextAsync(Path.Combine(_directory, "mixed.jsonl"), envelope + "\nnot json\n\n", TestContext.Current.CancellationToken);

        var rows = await ReadAllAsync();

        rows.Should().Equal(new TargetRow("env", null, null, ValueHash.Compute("q"), null), new TargetRow(null));
    }

    [Fact]
    public async Task Read_LargeFile_StreamsEveryLine()
    {
        var path = Path.Combine(_directory, "big.jsonl");
        await using (var writer = new StreamWriter(path))
        {
            for (var i = 0; i < 20_000; i++)
            {
                await writer.WriteAsync(Line("t", 0, i, "e" + i, new string('z', 50)));
            }
        }

        var rows = await ReadAllAsync(JsonValueMapping.Default with { HashedField = null });

        rows.Should().HaveCount(20_000);
        rows.Select(r => r.EventId).Distinct().Should().HaveCount(20_000);
        rows[19_999].Source.Should().Be(new SourcePosition("t", 0, 19_999));
        rows[0].ValueHash.Should().BeNull();
    }

    [Fact]
    public async Task ReadAndSummarize_FilesAppendedRewrittenShortenedAndRemoved_SameAsAFreshReaderNow()
    {
        var ct = TestContext.Current.CancellationToken;
        var reader = new FileSinkReader(_directory);
        var append = Path.Combine(_directory, "orders+0.jsonl");
        var objects = Path.Combine(_directory, "orders+1+0000000000.jsonl");

        async Task ExpectSameAsFullReadAsync(long rows)
        {
            var fresh = await ReadAllAsync();
            var again = new List<TargetRow>();
            await foreach (var row in reader.ReadRowsAsync(ct))
            {
                again.Add(row);
            }

            again.Should().Equal(fresh);
            var incremental = await reader.SummarizeAsync(ct);
            incremental.Should().Be(TargetChecksum.Summarize(fresh));
            incremental.RowCount.Should().Be(rows);
        }

        await ExpectSameAsFullReadAsync(0);
        await File.WriteAllTextAsync(append, Line("orders", 0, 0, "e0") + Line("orders", 0, 1, "e1"), ct);
        await ExpectSameAsFullReadAsync(2);

        // Appended lines, a half-written one that is not a row yet, then its end.
        await File.AppendAllTextAsync(append, Line("orders", 0, 2, "e2") + Line("orders", 0, 3, "e3").TrimEnd('\n'), ct);
        await ExpectSameAsFullReadAsync(3);
        await File.AppendAllTextAsync(append, "\n" + Line("orders", 0, 2, "e2"), ct);
        await ExpectSameAsFullReadAsync(5);

        // The same length, one byte of an already summarized line changed: the whole file counts again.
        var text = await File.ReadAllTextAsync(append, ct);
        await File.WriteAllTextAsync(append, text.Replace("\"payload\":\"p\"", "\"payload\":\"q\"", StringComparison.Ordinal), ct);
        await ExpectSameAsFullReadAsync(5);

        // A deterministic object replaced by a rename with other content, then one shorter than what was summarized.
        await File.WriteAllTextAsync(objects, Line("orders", 1, 0, "a") + Line("orders", 1, 1, "b"), ct);
        await ExpectSameAsFullReadAsync(7);
        var replacement = objects + ".tmp";
        await File.WriteAllTextAsync(replacement, Line("orders", 1, 0, "a", "other") + Line("orders", 1, 1, "b") + "\n \n", ct);
        File.Move(replacement, objects, overwrite: true);
        await ExpectSameAsFullReadAsync(7);
        await File.WriteAllTextAsync(objects, Line("orders", 1, 0, "a"), ct);
        await ExpectSameAsFullReadAsync(6);

        File.Delete(append);
        await ExpectSameAsFullReadAsync(1);
    }
}
