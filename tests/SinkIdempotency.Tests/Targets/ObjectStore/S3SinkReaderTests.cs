using FluentAssertions;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.ObjectStore;
using SinkIdempotency.Tests.Support;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Targets.ObjectStore;

public sealed class S3SinkReaderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private const string Bucket = "targets";

    [Fact]
    public async Task ReadRowsAsync_SinkObjectsInTheRunFolder_ReadsEveryLineInObjectOrderWithTheStartOffsetOnTheFirstLine()
    {
        await using var s3 = await FakeS3Server.StartAsync();
        s3.CreateBucket(Bucket);
        s3.Put(Bucket, "run_a/orders/partition=1/orders+1+0000000000.json", Line("e3") + Line("e4"));
        s3.Put(Bucket, "run_a/orders/partition=0/orders+0+0000000002.json", Line("e2"));
        s3.Put(Bucket, "run_a/orders/partition=0/orders+0+0000000000.json", Line("e0") + Line("e1"));
        s3.Put(Bucket, "run_a/orders/partition=0/orders+0+0000000004.json.tmp", Line("unfinished"));
        s3.Put(Bucket, "run_b/orders/partition=0/orders+0+0000000000.json", Line("other-run"));

        var rows = await new S3SinkReader(s3.Connection, Bucket, "run_a").ReadRowsAsync(Token).ToListAsync(Token);

        rows.Select(r => r.EventId).Should().Equal("e0", "e1", "e2", "e3", "e4");
        rows.Select(r => r.Source).Should().Equal(
            new SourcePosition("orders", 0, 0), null, new SourcePosition("orders", 0, 2), new SourcePosition("orders", 1, 0), null);
        s3.RejectedSignatures.Should().Be(0);
    }

    [Fact]
    public async Task ReadRowsAsync_RecordInTwoObjects_IsTwoRows()
    {
        // Objects cut at different offsets on a replay (wall-clock rotation) hold a record twice: the reader must show it.
        await using var s3 = await FakeS3Server.StartAsync();
        s3.CreateBucket(Bucket);
        s3.Put(Bucket, "run/t/partition=0/t+0+0000000000.json", Line("e0") + Line("e1") + Line("e2"));
        s3.Put(Bucket, "run/t/partition=0/t+0+0000000002.json", Line("e2") + Line("e3"));

        var summary = await new S3SinkReader(s3.Connection, Bucket, "run").ReadRowsAsync(Token).ToListAsync(Token);

        summary.Select(r => r.EventId).Should().Equal("e0", "e1", "e2", "e2", "e3");
    }

    [Fact]
    public async Task ListObjectsAsync_MoreKeysThanAPage_FollowsContinuationTokens()
    {
        await using var s3 = await FakeS3Server.StartAsync();
        s3.CreateBucket(Bucket);
        s3.PageSize = 3;
        for (var offset = 0; offset < 10; offset++)
        {
            s3.Put(Bucket, new S3ObjectName("run", "t", 0, offset, "json").ToKey(), Line("e" + offset));
        }

        var objects = await new S3SinkReader(s3.Connection, Bucket, "run").ListObjectsAsync(Token);

        objects.Select(o => o.Name.StartOffset).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i));
        s3.ListRequests.Should().Be(4);
    }

    [Fact]
    public async Task ReadRowsAsync_EmptyFolder_ReadsNothing()
    {
        await using var s3 = await FakeS3Server.StartAsync();
        s3.CreateBucket(Bucket);

        (await new S3SinkReader(s3.Connection, Bucket, "run").ReadRowsAsync(Token).ToListAsync(Token)).Should().BeEmpty();
    }

    [Fact]
    public async Task ReadRowsAsync_WrongSecret_FailsNamingTheStoresAnswer()
    {
        await using var s3 = await FakeS3Server.StartAsync();
        s3.CreateBucket(Bucket);

        var read = async () => await new S3SinkReader(s3.Connection with { SecretKey = "wrong" }, Bucket, "run").ReadRowsAsync(Token).ToListAsync(Token);

        (await read.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("403").And.Contain("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task S3Client_PutCreateAndDelete_AreSignedAndApplied()
    {
        await using var s3 = await FakeS3Server.StartAsync();
        using var client = new S3Client(s3.Connection);

        await client.CreateBucketAsync(Bucket, Token);
        await client.CreateBucketAsync(Bucket, Token);
        await client.PutAsync(Bucket, "run/t/partition=0/t+0+0000000000.json", "{\"event_id\":\"e0\"}\n"u8.ToArray(), Token);
        (await client.GetAsync(Bucket, "run/t/partition=0/t+0+0000000000.json", Token)).Should().NotBeNull();
        await client.DeleteAsync(Bucket, "run/t/partition=0/t+0+0000000000.json", Token);

        s3.Keys(Bucket).Should().BeEmpty();
        (await client.GetAsync(Bucket, "run/t/partition=0/t+0+0000000000.json", Token)).Should().BeNull();
        s3.RejectedSignatures.Should().Be(0);
    }

    [Fact]
    public async Task DropTableAsync_S3Target_DeletesOnlyTheRunsFolder()
    {
        await using var s3 = await FakeS3Server.StartAsync();
        s3.CreateBucket(Bucket);
        s3.Put(Bucket, "si_1a2b3c4d_x/t/partition=0/t+0+0000000000.json", Line("e0"));
        s3.Put(Bucket, "si_9f9f9f9f_y/t/partition=0/t+0+0000000000.json", Line("e0"));
        await using var target = SinkTargets.S3(s3.Connection, Bucket, new Uri("http://minio:9000"), "here");

        await target.DropTableAsync(Bucket, "si_1a2b3c4d_x", Token);

        s3.Keys(Bucket).Should().Equal("si_9f9f9f9f_y/t/partition=0/t+0+0000000000.json");
    }

    private static string Line(string eventId) => $$"""{"event_id":"{{eventId}}","key":"k","version":1,"seq":1,"payload":"p"}""" + "\n";
}
