using System.Net.Sockets;
using System.Text;
using SinkIdempotency.Proxy;
using SinkIdempotency.Targets.Http;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Tests.Proxy;

/// <summary>
/// <see cref="TargetFaultProxy.WithholdNextDurableWriteReply"/> on HTTP/1.1, in front of the harness's HTTP target server:
/// the 2xx response of an applied POST is withheld (the client times out, the record is applied); error responses and
/// the responses before the trigger pass, on the same keep-alive connection.
/// </summary>
public sealed class TargetFaultProxyHttpTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithholdNextDurableWriteReply_PostOnAKeptAliveConnection_TimesOutAndTheRecordIsApplied()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: Token);
        await using var proxy = await StartProxyAsync(server);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
        var url = new Uri($"http://127.0.0.1:{proxy.Port}/si_0a1b2c3d_t");
        for (var i = 0; i < 3; i++)
        {
            (await PostAsync(client, url, $"e{i}", TimeSpan.FromSeconds(30))).Should().Be(200);
        }

        proxy.WithholdNextDurableWriteReply();
        var withheld = () => PostAsync(client, url, "e3", TimeSpan.FromMilliseconds(500));

        await withheld.Should().ThrowAsync<TaskCanceledException>();
        server.AppliedCount.Should().Be(4, "the POST reached the server and was applied; only its response was withheld");
        proxy.WithheldReplies.Should().ContainSingle().Which.Reply.Should().Be("the HTTP response 'HTTP/1.1 200 OK' (the server applied the request)");
        proxy.Behaviour.Should().Be(TargetFaultBehaviour.Pass);
        (await PostAsync(client, url, "e4", TimeSpan.FromSeconds(30))).Should().Be(200, "a new connection passes once the withhold fired");
    }

    [Fact]
    public async Task WithholdNextDurableWriteReply_ErrorResponse_PassesAndTheNextSuccessIsWithheld()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: Token);
        server.AddFault(HttpTargetFault.FailRequest(503));
        await using var proxy = await StartProxyAsync(server);
        using var client = new HttpClient();
        var url = new Uri($"http://127.0.0.1:{proxy.Port}/si_0a1b2c3d_t");

        proxy.WithholdNextDurableWriteReply();
        var failed = await PostAsync(client, url, "e1", TimeSpan.FromSeconds(30));
        var withheld = () => PostAsync(client, url, "e1", TimeSpan.FromMilliseconds(500));

        failed.Should().Be(503, "a failed request applied nothing, so its response is no trigger");
        await withheld.Should().ThrowAsync<TaskCanceledException>();
        server.AppliedCount.Should().Be(1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public async Task WithholdNextDurableWriteReply_ResponsesSplitAcrossReads_FramesChunkedAndSizedBodies(int chunkSize)
    {
        // A fake API answers an interim 100, a chunked 500, a sized 404, then a 200; the proxy must find the 200's first byte however the bytes arrive.
        const string Chunked = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n3\r\nHTT\r\n0\r\nTrailer: y\r\n\r\n";
        const string Sized = "HTTP/1.1 404 Not Found\r\nContent-Length: 12\r\n\r\nHTTP/1.1 200";
        const string Trigger = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        await using var proxy = await TargetFaultProxy.StartAsync(new TargetFaultProxyOptions { TargetHost = "127.0.0.1", TargetPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port, Protocol = TargetWireProtocol.Http }, Token);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", proxy.Port, Token);
        using var served = await listener.AcceptTcpClientAsync(Token);
        var stream = client.GetStream();
        await stream.WriteAsync("POST / HTTP/1.1\r\n\r\n"u8.ToArray(), Token);

        proxy.WithholdNextDurableWriteReply();
        var bytes = Encoding.ASCII.GetBytes(Chunked + Sized + Trigger);
        for (var i = 0; i < bytes.Length; i += chunkSize)
        {
            await served.GetStream().WriteAsync(bytes.AsMemory(i, Math.Min(chunkSize, bytes.Length - i)), Token);
            await served.GetStream().FlushAsync(Token);
            await Task.Delay(chunkSize == 1 && i % 16 != 0 ? 0 : 1, Token);
        }

        var expected = Chunked.Length + Sized.Length;
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (received.Count < expected)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            read.Should().BePositive();
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        (await Poll.UntilAsync(TimeProvider.System, _ => Task.FromResult(proxy.WithheldReplies.Count > 0), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10), Token)).Should().BeTrue();
        Encoding.ASCII.GetString([.. received]).Should().Be(Chunked + Sized, "everything before the 200 passes, the 200 and what follows do not");
        proxy.WithheldReplies.Should().ContainSingle().Which.Reply.Should().Be("the HTTP response 'HTTP/1.1 200 OK' (the server applied the request)");
    }

    private static Task<TargetFaultProxy> StartProxyAsync(HttpTargetServer server) =>
        TargetFaultProxy.StartAsync(new TargetFaultProxyOptions { TargetHost = "127.0.0.1", TargetPort = server.Url.Port, Protocol = TargetWireProtocol.Http }, Token);

    private static async Task<int> PostAsync(HttpClient client, Uri url, string eventId, TimeSpan timeout)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(timeout);
        using var content = new StringContent($$"""{"event_id":"{{eventId}}"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(url, content, cancel.Token);
        return (int)response.StatusCode;
    }
}
