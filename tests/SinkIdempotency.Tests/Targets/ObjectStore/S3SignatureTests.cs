using FluentAssertions;
using SinkIdempotency.Targets.ObjectStore;

namespace SinkIdempotency.Tests.Targets.ObjectStore;

public sealed class S3SignatureTests
{
    private static readonly S3Connection Example = new(new Uri("https://examplebucket.s3.amazonaws.com/"), "us-east-1", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    [Fact]
    public void Authorize_AwsListObjectsExample_GivesThePublishedSignature()
    {
        // AWS's Signature Version 4 example "GET Bucket (List Objects)"; the query is given unsorted on purpose.
        var (authorization, amzDate) = S3Signature.Authorize(
            "GET",
            "examplebucket.s3.amazonaws.com",
            "/",
            [new("prefix", "J"), new("max-keys", "2")],
            S3Signature.EmptyPayloadHash,
            new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero),
            Example);

        amzDate.Should().Be("20130524T000000Z");
        authorization.Should().Be("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    }

    [Theory]
    [InlineData("topics/a+0+0000000000.json", true, "topics/a%2B0%2B0000000000.json")]
    [InlineData("partition=0", false, "partition%3D0")]
    [InlineData("a b~c_d-e.f", false, "a%20b~c_d-e.f")]
    [InlineData("x/y", false, "x%2Fy")]
    [InlineData("é", true, "%C3%A9")]
    public void Encode_Component_EscapesAllButUnreservedCharacters(string value, bool keepSlash, string expected) =>
        S3Signature.Encode(value, keepSlash).Should().Be(expected);
}
