using FluentAssertions;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.Search;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Targets.Search;

public sealed class ElasticsearchIndexReaderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadRowsAsync_MoreDocumentsThanAPage_ScrollsThroughEveryDocumentAndClearsTheScroll()
    {
        await using var es = await FakeElasticsearchServer.StartAsync();
        for (var i = 0; i < 25; i++)
        {
            es.Index("run_index", $"t+0+{i:D3}", Source($"e{i:D2}", "k" + (i % 5), i));
        }

        var rows = await new ElasticsearchIndexReader(es.Url, "run_index", pageSize: 10).ReadRowsAsync(Token).ToListAsync(Token);

        rows.Select(r => r.EventId).Should().Equal(Enumerable.Range(0, 25).Select(i => $"e{i:D2}"));
        rows.Should().OnlyContain(r => r.Source == null);
        es.Refreshes.Should().Be(1);
        es.ClearedScrolls.Should().Be(1);
        es.OpenScrolls.Should().Be(0);
    }

    [Fact]
    public async Task ReadRowsAsync_DocumentOverwrittenUnderItsId_IsOneRow()
    {
        // key.ignore=false: the record key is the id, so a key's later record replaces the earlier one.
        await using var es = await FakeElasticsearchServer.StartAsync();
        es.Index("run_index", "k1", Source("e1", "k1", 1));
        es.Index("run_index", "k1", Source("e7", "k1", 2));
        es.Index("run_index", "k2", Source("e2", "k2", 1));

        var rows = await new ElasticsearchIndexReader(es.Url, "run_index").ReadRowsAsync(Token).ToListAsync(Token);

        rows.Select(r => (r.EventId, r.Key, r.Version)).Should().Equal(("e7", "k1", 2L), ("e2", "k2", 1L));
    }

    [Fact]
    public async Task ReadRowsAsync_IndexNotCreatedYet_ReadsNothing()
    {
        await using var es = await FakeElasticsearchServer.StartAsync();

        (await new ElasticsearchIndexReader(es.Url, "run_index").ReadRowsAsync(Token).ToListAsync(Token)).Should().BeEmpty();
    }

    [Fact]
    public async Task ReadRowsAsync_MappedFieldNames_ReadsThoseFields()
    {
        await using var es = await FakeElasticsearchServer.StartAsync();
        es.Index("run_index", "x", """{"id":"e1","k":"key-1","v":4,"body":"p"}""");

        var rows = await new ElasticsearchIndexReader(es.Url, "run_index", new JsonValueMapping { EventIdField = "id", KeyField = "k", VersionField = "v", HashedField = "body" }).ReadRowsAsync(Token).ToListAsync(Token);

        rows.Should().ContainSingle().Which.Should().Match<TargetRow>(r => r.EventId == "e1" && r.Key == "key-1" && r.Version == 4);
    }

    [Fact]
    public async Task DropTableAsync_ElasticsearchTarget_DeletesTheRunsIndexOnly()
    {
        await using var es = await FakeElasticsearchServer.StartAsync();
        es.Index("si_1a2b3c4d_x", "a", Source("e1", "k", 1));
        es.Index("si_9f9f9f9f_y", "a", Source("e1", "k", 1));
        await using var target = SinkTargets.Elasticsearch(es.Url, new Uri("http://elasticsearch:9200"), "here");

        await target.DropTableAsync(string.Empty, "si_1a2b3c4d_x", Token);
        await target.DropTableAsync(string.Empty, "si_1a2b3c4d_x", Token);

        es.HasIndex("si_1a2b3c4d_x").Should().BeFalse();
        es.HasIndex("si_9f9f9f9f_y").Should().BeTrue();
    }

    private static string Source(string eventId, string key, long version) =>
        $$"""{"event_id":"{{eventId}}","key":"{{key}}","version":{{version}},"seq":1,"payload":"p"}""";
}
