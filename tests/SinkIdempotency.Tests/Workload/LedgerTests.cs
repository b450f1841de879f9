using System.Text;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Workload;

public sealed class LedgerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Append_FromManyThreadsAtOnce_KeepsEveryEntry()
    {
        var ledger = new Ledger();
        var time = DateTimeOffset.UnixEpoch;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                ledger.Append(new LedgerEntry($"{thread}-{i}", "t", thread, i, null, null, 0, time));
            }
        }, Token)));

        ledger.Count.Should().Be(80_000);
        ledger.Snapshot().Select(e => e.EventId).Should().OnlyHaveUniqueItems();
        ledger.Snapshot().Where(e => e.Partition == 3).Select(e => e.Offset).Should().BeInAscendingOrder("one thread's appends keep their order");
    }

    [Fact]
    public async Task WriteJsonLinesAsync_ThenRead_RoundTripsEveryField()
    {
        var ledger = new Ledger();
        ledger.Append(new LedgerEntry("e-1", "orders", 2, 41, "k\"1", 7, ulong.MaxValue, new DateTimeOffset(2026, 5, 6, 7, 8, 9, 123, TimeSpan.Zero)));
        ledger.Append(new LedgerEntry("e-2", "orders", 0, 0, null, null, 0x0123456789abcdef, DateTimeOffset.UnixEpoch) { Poison = true });
        using var stream = new MemoryStream();

        await ledger.WriteJsonLinesAsync(stream, Token);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;
        var read = await Ledger.ReadJsonLinesAsync(stream, Token);

        read.Snapshot().Should().Equal(ledger.Snapshot());
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            """{"eventId":"e-1","topic":"orders","partition":2,"offset":41,"key":"k\u00221","version":7,"valueHash":"ffffffffffffffff","produceTime":"2026-05-06T07:08:09.123+00:00","poison":false}""",
            """{"eventId":"e-2","topic":"orders","partition":0,"offset":0,"key":null,"version":null,"valueHash":"0123456789abcdef","produceTime":"1970-01-01T00:00:00+00:00","poison":true}""");
    }

    [Fact]
    public async Task WriteJsonLinesAsync_ManyEntriesToFile_ReadsBackInOrder()
    {
        var ledger = new Ledger(Enumerable.Range(0, 50_000).Select(i => new LedgerEntry($"e-{i}", "t", i % 4, i / 4, $"k{i % 100}", i, (ulong)i * 31, DateTimeOffset.UnixEpoch.AddSeconds(i))));
        var path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.jsonl");
        try
        {
            await ledger.WriteJsonLinesAsync(path, Token);
            var read = await Ledger.ReadJsonLinesAsync(path, Token);

            read.Snapshot().Should().Equal(ledger.Snapshot());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadJsonLinesAsync_LineWithoutOffset_ThrowsNamingTheLine()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(
            "{\"eventId\":\"a\",\"topic\":\"t\",\"partition\":0,\"offset\":0,\"valueHash\":\"00\",\"produceTime\":\"2026-01-01T00:00:00Z\"}\n\n{\"eventId\":\"b\"}\n"));

        var act = () => Ledger.ReadJsonLinesAsync(stream, Token);

        await act.Should().ThrowAsync<FormatException>().WithMessage("Ledger line 3 is not a ledger entry: the property 'topic' is missing.");
    }

    [Fact]
    public void ValueHash_KnownInput_IsStableXxh3()
    {
        // XXH3-64 of the empty input with seed 0 is a published constant.
        ValueHash.Compute(ReadOnlySpan<byte>.Empty).Should().Be(0x2D06800538D394C2UL);
        ValueHash.Compute("abc").Should().Be(ValueHash.Compute("abc"u8));
        ValueHash.Compute(new string('x', 1000)).Should().Be(ValueHash.Compute(Encoding.UTF8.GetBytes(new string('x', 1000))));
        ValueHash.Parse(ValueHash.Format(0x00ab)).Should().Be(0x00ab);
        ValueHash.Format(0x00ab).Should().Be("00000000000000ab");
    }
}
