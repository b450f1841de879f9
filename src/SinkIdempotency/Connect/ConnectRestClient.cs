using System.Text.Json;

namespace SinkIdempotency.Connect;

/// <summary>Calls the Kafka Connect REST API of one worker; works unchanged against real Kafka Connect and the SinkIdempotency worker.</summary>
/// <remarks>
/// Every call maps Connect's error body (<c>{"error_code":…,"message":…}</c>) to a <see cref="ConnectRestException"/>.
/// Calls refused with 409 because a rebalance is under way are retried for <see cref="ConnectRestClientOptions.RebalanceRetryTimeout"/>.
/// </remarks>
public sealed partial class ConnectRestClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ConnectRestClientOptions _options;

    /// <summary>Initializes a new instance of the <see cref="ConnectRestClient"/> class for the worker at <paramref name="baseAddress"/>.</summary>
    /// <param name="baseAddress">The worker's REST URL, e.g. <c>http://127.0.0.1:8083/</c>.</param>
    /// <param name="options">The timeouts and clock; defaults when <see langword="null"/>.</param>
    /// <param name="httpClient">The HTTP client to use (not disposed by this client); a new one when <see langword="null"/>.</param>
    public ConnectRestClient(Uri baseAddress, ConnectRestClientOptions? options = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The Connect REST URL '{baseAddress}' must be an absolute http or https URL such as http://127.0.0.1:8083/.", nameof(baseAddress));
        }

        _options = options ?? new ConnectRestClientOptions();
        _options.Validate();
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Gets the worker's REST URL, ending with a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the options in force.</summary>
    public ConnectRestClientOptions Options => _options;

    /// <summary>Releases the HTTP client when this instance created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Uri.EscapeDataString(value);
    }
}
