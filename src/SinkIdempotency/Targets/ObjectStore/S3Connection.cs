namespace SinkIdempotency.Targets.ObjectStore;

/// <summary>Describes how the harness reaches an S3-compatible store (MinIO, or S3 itself): its address, region and credentials.</summary>
/// <param name="ServiceUrl">The store's base address, for example <c>http://127.0.0.1:9000/</c>; buckets are addressed path-style under it.</param>
/// <param name="Region">The signing region (<c>us-east-1</c> for MinIO).</param>
/// <param name="AccessKey">The access key id.</param>
/// <param name="SecretKey">The secret access key.</param>
public sealed record S3Connection(Uri ServiceUrl, string Region, string AccessKey, string SecretKey)
{
    /// <summary>Returns the connection without its secret, for descriptions and logs.</summary>
    /// <returns>The address, region and access key.</returns>
    public override string ToString() => $"{ServiceUrl} ({Region}, access key {AccessKey})";
}
