using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SinkIdempotency.Targets.ObjectStore;

/// <summary>Signs S3 requests with AWS Signature Version 4 (headers <c>host</c>, <c>x-amz-content-sha256</c> and <c>x-amz-date</c>), enough for listing, reading, writing and deleting objects.</summary>
internal static class S3Signature
{
    /// <summary>The SHA-256 of an empty payload, in lower-case hex.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Computes the <c>Authorization</c> header value of a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="host">The <c>Host</c> header value (with its port when not the scheme's default).</param>
    /// <param name="path">The request path, not yet encoded (<c>/bucket/key</c>).</param>
    /// <param name="query">The query parameters, not yet encoded.</param>
    /// <param name="payloadHash">The payload's SHA-256 in lower-case hex.</param>
    /// <param name="now">The signing time.</param>
    /// <param name="connection">The region and credentials.</param>
    /// <returns>The header value, and the <c>x-amz-date</c> value that must be sent with it.</returns>
    public static (string Authorization, string AmzDate) Authorize(
        string method, string host, string path, IReadOnlyList<KeyValuePair<string, string>> query, string payloadHash, DateTimeOffset now, S3Connection connection)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var day = amzDate[..8];
        var scope = $"{day}/{connection.Region}/s3/aws4_request";
        var canonicalQuery = string.Join('&', query
            .Select(p => (Name: Encode(p.Key, keepSlash: false), Value: Encode(p.Value, keepSlash: false)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        const string signedHeaders = "host;x-amz-content-sha256;x-amz-date";
        var canonicalRequest = string.Join(
            '\n',
            method,
            Encode(path, keepSlash: true),
            canonicalQuery,
            $"host:{host}\nx-amz-content-sha256:{payloadHash}\nx-amz-date:{amzDate}\n",
            signedHeaders,
            payloadHash);
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + connection.SecretKey), day);
        key = Hmac(key, connection.Region);
        key = Hmac(key, "s3");
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        return ($"AWS4-HMAC-SHA256 Credential={connection.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}", amzDate);
    }

    /// <summary>Encodes a path or query component as Signature Version 4 wants it: every byte but <c>A–Z a–z 0–9 - _ . ~</c> (and <c>/</c> in a path) as <c>%XX</c>.</summary>
    /// <param name="value">The text.</param>
    /// <param name="keepSlash">Whether <c>/</c> stays as it is (a path).</param>
    /// <returns>The encoded text.</returns>
    public static string Encode(string value, bool keepSlash)
    {
        var encoded = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }

    /// <summary>Formats bytes as lower-case hex.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The hex text.</returns>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
