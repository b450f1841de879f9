using System.Globalization;
using System.Text;

namespace SinkIdempotency.Scenarios;

/// <summary>Names everything one scenario run creates, so runs never collide and cleanup drops only what the run made.</summary>
/// <remarks>
/// Every name carries the run id: topics <c>si-{run}-{slug}</c> (and <c>…-dlq</c>), the connector <c>si-{run}-{slug}</c>
/// (so its group is <c>connect-si-{run}-{slug}</c>) and the table <c>si_{run}_{slug}</c>, which stays within
/// PostgreSQL's 63-byte identifier limit and needs no quoting.
/// </remarks>
public sealed record RunNamespace
{
    private const int MaxSlugLength = 40;

    private RunNamespace(string runId, string slug)
    {
        RunId = runId;
        Slug = slug;
    }

    /// <summary>Gets the run id.</summary>
    /// <value>Eight lowercase hex digits.</value>
    public string RunId { get; }

    /// <summary>Gets the scenario name reduced to lowercase letters, digits and dashes.</summary>
    /// <value>At most 40 characters.</value>
    public string Slug { get; }

    /// <summary>Gets the source topic.</summary>
    /// <value><c>si-{run}-{slug}</c>.</value>
    public string Topic => $"si-{RunId}-{Slug}";

    /// <summary>Gets the dead-letter topic.</summary>
    /// <value><c>si-{run}-{slug}-dlq</c>.</value>
    public string DeadLetterTopic => $"{Topic}-dlq";

    /// <summary>Gets the connector name.</summary>
    /// <value><c>si-{run}-{slug}</c>.</value>
    public string Connector => $"si-{RunId}-{Slug}";

    /// <summary>Gets the sink connector's consumer group.</summary>
    /// <value><c>connect-{connector}</c>, as Kafka Connect names it.</value>
    public string GroupId => $"connect-{Connector}";

    /// <summary>Gets the target schema.</summary>
    /// <value><c>public</c>.</value>
    public string Schema => "public";

    /// <summary>Gets the target table.</summary>
    /// <value><c>si_{run}_{slug with underscores}</c>.</value>
    public string Table => $"si_{RunId}_{Slug.Replace('-', '_')}";

    /// <summary>Creates a namespace with a fresh random run id.</summary>
    /// <param name="scenarioName">The scenario name.</param>
    /// <returns>The namespace.</returns>
    public static RunNamespace Create(string scenarioName) =>
        Create(scenarioName, Random.Shared.Next().ToString("x8", CultureInfo.InvariantCulture));

    /// <summary>Creates a namespace with a given run id.</summary>
    /// <param name="scenarioName">The scenario name.</param>
    /// <param name="runId">The run id: 4 to 16 lowercase letters or digits.</param>
    /// <returns>The namespace.</returns>
    /// <exception cref="ArgumentException">Thrown when the run id or the name cannot be used.</exception>
    public static RunNamespace Create(string scenarioName, string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scenarioName);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (runId.Length is < 4 or > 16 || !runId.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9')))
        {
            throw new ArgumentException($"The run id '{runId}' must be 4 to 16 lowercase letters or digits.", nameof(runId));
        }

        var slug = Slugify(scenarioName);
        if (slug.Length == 0)
        {
            throw new ArgumentException($"The scenario name '{scenarioName}' has no letter or digit; give it a name such as 'orders-upsert'.", nameof(scenarioName));
        }

        return new RunNamespace(runId, slug);
    }

    /// <summary>Tells whether a name belongs to this run.</summary>
    /// <param name="name">A topic, table or connector name.</param>
    /// <returns><see langword="true"/> when the name carries this run's prefix.</returns>
    public bool Owns(string name) =>
        name is not null && (name.StartsWith($"si-{RunId}-", StringComparison.Ordinal) || name.StartsWith($"si_{RunId}_", StringComparison.Ordinal));
    /// <summary>Throws unless a name is in a run namespace: the last line of defence, so nothing a run did not create is deleted or changed.</summary>
    /// <param name="kind">What the name names, e.g. <c>table</c>.</param>
    /// <param name="name">The name.</param>
    /// <param name="verb">What the caller is about to do.</param>
    /// <exception cref="InvalidOperationException">The name is not run-scoped.</exception>
    internal static void EnsureRunScoped(string kind, string name, string verb = "delete")
    {
        if (!IsRunScoped(name))
        {
            throw new InvalidOperationException($"Refusing to {verb} the {kind} '{name}': it is not in a run namespace (si-{{run}}-… or si_{{run}}_…), and the harness {verb}s only what a run created.");
        }
    }

    /// <summary>Tells whether a name belongs to some run of the harness: a topic, connector or table named <c>si-{run}-…</c> or <c>si_{run}_…</c>, or a connector's group <c>connect-si-{run}-…</c>.</summary>
    /// <param name="name">A topic, table, connector or consumer-group name.</param>
    /// <returns><see langword="true"/> when the name has a run namespace's shape; the harness refuses to delete anything else.</returns>
    public static bool IsRunScoped(string name)
    {
        if (name is null)
        {
            return false;
        }

        var rest = name.StartsWith("connect-", StringComparison.Ordinal) ? name["connect-".Length..] : name;
        if (rest.Length < 4 || rest[0] != 's' || rest[1] != 'i' || rest[2] is not ('-' or '_'))
        {
            return false;
        }

        var separator = rest[2];
        var end = rest.IndexOf(separator, 3);
        var runId = end < 0 ? string.Empty : rest[3..end];
        return runId.Length is >= 4 and <= 16
            && runId.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            && end + 1 < rest.Length;
    }

    private static string Slugify(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length <= MaxSlugLength ? slug : slug[..MaxSlugLength].TrimEnd('-');
    }
}
