using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Npgsql;
using SinkIdempotency.Connect;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Environments;

/// <content>Start: reachability checks of Kafka, every Connect worker and the target, each bounded, creating nothing.</content>
public sealed partial class ExternalEnvironment
{
    /// <summary>Checks, at the same time and each within <see cref="ExternalEnvironmentOptions.ReachabilityTimeout"/>, that Kafka, every Connect URL and the target answer; starts the fault proxy when an address is configured.</summary>
    /// <param name="cancellationToken">Cancels the checks.</param>
    /// <returns>A task that completes when every part answered.</returns>
    /// <exception cref="EnvironmentStartException">A part did not answer; the message names each one and what to check, with secrets redacted.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("The external environment is already started; build a new one to start again.");
            }

            _started = true;
            var checks = new List<Task<string?>> { CheckKafkaAsync(cancellationToken), CheckTargetAsync(cancellationToken) };
            checks.AddRange(ConnectUrls.Select((url, index) => CheckConnectAsync(url, index, cancellationToken)));
            var problems = (await Task.WhenAll(checks).ConfigureAwait(false)).OfType<string>().ToList();
            cancellationToken.ThrowIfCancellationRequested();
            if (problems.Count > 0)
            {
                throw new EnvironmentStartException(SecretRedactor.RedactText($"The external environment could not start: {string.Join(" ", problems)} Nothing was created on the cluster."));
            }

            if (_options.TargetProxyAddress is not null)
            {
                await StartProxyAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task<string?> CheckKafkaAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.ReachabilityTimeout;
        var errors = new ConcurrentQueue<string>();
        IAdminClient admin;
        try
        {
            var config = Kafka.Configure(new AdminClientConfig(), "sinkidempotency-external-check");
            admin = new AdminClientBuilder(config)
                .SetLogHandler((_, log) =>
                {
                    if (log.Level <= SyslogLevel.Warning)
                    {
                        errors.Enqueue(log.Message);
                    }
                })
                .SetErrorHandler((_, error) => errors.Enqueue(error.Reason))
                .Build();
        }
        catch (Exception ex) when (ex is ArgumentException or KafkaException or InvalidOperationException)
        {
            return $"Kafka: the client settings were rejected ({ex.Message}); check the {ExternalEnvironmentOptions.KafkaSettingVariablePrefix}* variables (or --kafka-setting) against librdkafka's configuration names.";
        }

        using (admin)
        {
            try
            {
                var cluster = await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = timeout })
                    .WaitAsync(timeout + TimeSpan.FromSeconds(5), _options.TimeProvider, cancellationToken)
                    .ConfigureAwait(false);
                KafkaClusterId = cluster.ClusterId;
                return null;
            }
            catch (Exception ex) when (ex is KafkaException or TimeoutException)
            {
                var cause = errors.LastOrDefault();
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"Kafka at {_options.BootstrapServers} did not answer within {timeout.TotalSeconds:0.#} s ({ex.Message}{(cause is null ? string.Empty : "; last client error: " + cause)}). Check {ExternalEnvironmentOptions.BootstrapServersVariable} and the security settings (security.protocol, sasl.mechanism, sasl.username, sasl.password, ssl.ca.location).");
            }
        }
    }

    private async Task<string?> CheckConnectAsync(Uri url, int index, CancellationToken cancellationToken)
    {
        var options = CreateConnectClientOptions();
        options.RequestTimeout = _options.ReachabilityTimeout;
        options.RebalanceRetryTimeout = TimeSpan.Zero;
        using var client = new ConnectRestClient(url, options);
        try
        {
            var info = await client.GetServerInfoAsync(cancellationToken).ConfigureAwait(false);
            if (index == 0)
            {
                ConnectServer = info;
            }

            return null;
        }
        catch (ConnectRestException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return $"Kafka Connect at {url} refused the request ({(int)ex.StatusCode} {ex.StatusCode}); set {ExternalEnvironmentOptions.ConnectUserVariable} and {ExternalEnvironmentOptions.ConnectPasswordVariable} (or --connect-user/--connect-password) to an account allowed to manage connectors.";
        }
        catch (ConnectRestException ex)
        {
            return $"Kafka Connect at {url} answered GET / with an error ({ex.Message}); check that {ExternalEnvironmentOptions.ConnectUrlsVariable} points at a Connect worker's REST listener.";
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            return $"Kafka Connect is not answering: {ex.Message} Check {ExternalEnvironmentOptions.ConnectUrlsVariable} (or --connect-url) and that this machine can reach the workers' REST port.";
        }
    }

    private async Task<string?> CheckTargetAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(_options.TargetConnectionString)
        {
            Timeout = Math.Max(1, (int)Math.Ceiling(_options.ReachabilityTimeout.TotalSeconds)),
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(_options.ReachabilityTimeout.TotalSeconds)),
            Pooling = false,
        };
        var where = $"PostgreSQL at {builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)} (database {builder.Database ?? "(default)"}, user {builder.Username ?? "(default)"})";
        try
        {
            var connection = new NpgsqlConnection(builder.ConnectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken)
                    .WaitAsync(_options.ReachabilityTimeout + TimeSpan.FromSeconds(5), _options.TimeProvider, cancellationToken)
                    .ConfigureAwait(false);
                var command = new NpgsqlCommand("SELECT 1", connection);
                await using (command.ConfigureAwait(false))
                {
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
        {
            return $"{where} is not reachable: {ex.Message} Check {ExternalEnvironmentOptions.TargetVariable} (or --target).";
        }
    }

    private async Task StartProxyAsync(CancellationToken cancellationToken)
    {
        var direct = new NpgsqlConnectionStringBuilder(_options.TargetConnectionString);
        var (_, advertisedPort) = ExternalEnvironmentOptions.SplitHostPort(_options.TargetProxyAddress!);
        try
        {
            _proxy = await TargetFaultProxy.StartAsync(
                new TargetFaultProxyOptions
                {
                    TargetHost = direct.Host!.Split(',')[0],
                    TargetPort = direct.Port,
                    ListenPort = _options.TargetProxyListenPort ?? advertisedPort,
                    TimeProvider = _options.TimeProvider,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new EnvironmentStartException(
                $"The external environment could not start the target fault proxy on 127.0.0.1:{(_options.TargetProxyListenPort ?? advertisedPort).ToString(CultureInfo.InvariantCulture)}: {ex.Message} Choose a free port with {ExternalEnvironmentOptions.TargetProxyListenPortVariable}.",
                ex);
        }
    }
}
