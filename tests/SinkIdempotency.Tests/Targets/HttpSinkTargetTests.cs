using System.Net.Http.Json;
using SinkIdempotency.Faults;
using SinkIdempotency.Proxy;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.Http;

namespace SinkIdempotency.Tests.Targets;

public sealed class HttpSinkTargetTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http-plain", "false")]
    [InlineData("http-idempotency-key", "true")]
    public async Task GetConnectorSettings_Direct_PointAtTheServerWithTheRunsPathAndKeyMode(string kind, string keyed)
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: Token);
        var target = new HttpSinkTarget(kind, server, proxy: null);

        var settings = target.GetConnectorSettings(throughProxy: false);

        settings.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["http.url"] = $"http://127.0.0.1:{server.Url.Port}/${{table}}",
            ["http.idempotency.key.enable"] = keyed,
        });
    }

    [Fact]
    public async Task GetConnectorSettings_ThroughProxy_UseTheProxyPortAndTheReplyTimeout()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: Token);
        await using var proxy = await TargetFaultProxy.StartAsync(new TargetFaultProxyOptions { TargetHost = "127.0.0.1", TargetPort = server.Url.Port, Protocol = TargetWireProtocol.Http }, Token);
        var target = new HttpSinkTarget(ScenarioTarget.HttpPlainKind, server, proxy);

        var settings = target.GetConnectorSettings(throughProxy: true);

        settings["http.url"].Should().Be($"http://127.0.0.1:{proxy.Port}/${{table}}");
        settings["http.request.timeout.ms"].Should().Be("3000");
    }

    [Fact]
    public async Task Reader_TwoRunsOnOneServer_ReadsOnlyItsOwnPathAndDropForgetsIt()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: Token);
        var target = new HttpSinkTarget(ScenarioTarget.HttpIdempotencyKeyKind, server, proxy: null);
        using var client = new HttpClient();
        await PostAsync(client, new Uri(server.Url, "si_0a1b2c3d_a"), "e1", "orders+0+1");
        await PostAsync(client, new Uri(server.Url, "si_0a1b2c3d_a"), "e1", "orders+0+1");
        await PostAsync(client, new Uri(server.Url, "si_0a1b2c3d_b"), "e2", "orders+0+1");
        var mapping = ReferenceMatrix.Mapping with { Table = "si_0a1b2c3d_a", Schema = target.Schema };

        var rows = await target.OpenReader(mapping).ReadRowsAsync(Token).ToListAsync(Token);
        await target.DropTableAsync(target.Schema, "si_0a1b2c3d_a", Token);
        await PostAsync(client, new Uri(server.Url, "si_0a1b2c3d_a"), "e1", "orders+0+1");

        rows.Should().ContainSingle("the repeated key was collapsed on its own path").Which.EventId.Should().Be("e1");
        server.RecordsAt("/si_0a1b2c3d_b").Should().ContainSingle("the same key on another path is another collection's");
        server.RecordsAt("/si_0a1b2c3d_a").Should().ContainSingle("dropping the path forgot its records and keys");
    }

    [Fact]
    public async Task DropTable_NameOutsideARunNamespace_IsRefusedAndForgetsNothing()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: Token);
        var target = new HttpSinkTarget(ScenarioTarget.HttpPlainKind, server, proxy: null);
        using var client = new HttpClient();
        await PostAsync(client, new Uri(server.Url, "orders"), "e1", key: null);

        await FluentActions.Awaiting(() => target.DropTableAsync(target.Schema, "orders", Token)).Should().ThrowAsync<InvalidOperationException>();

        server.AppliedCount.Should().Be(1);
    }

    [Fact]
    public async Task ExplainUnsupported_CrashAfterOffsetCommit_NamesThePostgreSqlTarget()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: Token);
        var target = new HttpSinkTarget(ScenarioTarget.HttpPlainKind, server, proxy: null);
        var scenario = ReferenceMatrix.Make("loss", ReferenceMatrix.HttpSink, DeclaredSemantics.ExactlyOnceEffect, new CrashAfterOffsetCommit());

        target.ExplainUnsupported(scenario).Should().Contain("does not support crash-after-offset-commit").And.Contain("target.kind postgres");
    }

    [Theory]
    [InlineData("crash-after-target-write")]
    [InlineData("target-timeout")]
    [InlineData("replay")]
    [InlineData("rebalance")]
    [InlineData("offset-commit-timeout")]
    [InlineData("offset-commit-refused")]
    [InlineData("fetch-stall")]
    [InlineData("schema-break")]
    public async Task ExplainUnsupported_FaultTheApiCanTakePartIn_IsNull(string fault)
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: Token);
        var target = new HttpSinkTarget(ScenarioTarget.HttpIdempotencyKeyKind, server, proxy: null);
        var scenario = ReferenceMatrix.Make("ok", ReferenceMatrix.HttpSink, DeclaredSemantics.ExactlyOnceEffect, FaultCatalog.Find(fault)!.Reference());

        target.ExplainUnsupported(scenario).Should().BeNull();
    }

    [Fact]
    public async Task Constructor_UnknownKind_NamesTheHttpKinds()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: Token);

        var act = () => new HttpSinkTarget("files-append", server, proxy: null);

        act.Should().Throw<ArgumentException>().WithMessage("'files-append' is not an HTTP target kind; use http-plain or http-idempotency-key.*");
    }

    private static async Task PostAsync(HttpClient client, Uri url, string eventId, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { event_id = eventId, key = "k", version = 1, payload = "p" }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request, Token);
        response.EnsureSuccessStatusCode();
    }
}
