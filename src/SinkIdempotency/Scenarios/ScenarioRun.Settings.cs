using SinkIdempotency.Connect;

namespace SinkIdempotency.Scenarios;

/// <content>Merges the environment's target settings into the connector configuration without ever replacing a team's setting silently.</content>
internal sealed partial class ScenarioRun
{
    private const string TargetPlaceholderPrefix = "${target.";

    private const string GroupIdOverrideKey = "consumer.override.group.id";

    private readonly List<string> _keptSettings = [];

    /// <summary>Fills in the target settings, resolves <c>${target.url}</c>, <c>${target.user}</c> and <c>${target.password}</c>, and throws when the scenario sets a value the environment would have to replace.</summary>
    /// <exception cref="ScenarioConfigurationException">Thrown before anything is created, naming the key and what to change.</exception>
    internal void CheckSettings()
    {
        if (SkipReason() is not null)
        {
            return;
        }

        CheckTargetSupports();
        var throughProxy = _scenario.Fault?.NeedsTargetProxy == true;
        var settings = SinkTarget.GetConnectorSettings(throughProxy).ToDictionary(s => s.Key, s => Resolve(s.Value), StringComparer.Ordinal);
        foreach (var key in _config.Keys.Where(k => _config[k].Contains(TargetPlaceholderPrefix, StringComparison.Ordinal)).ToList())
        {
            _config[key] = ResolveTargetPlaceholders(key, _config[key], settings);
        }

        foreach (var (key, value) in settings)
        {
            if (!_scenario.ConnectorConfig.TryGetValue(key, out var written))
            {
                _config[key] = value;
                continue;
            }

            if (written.Contains(TargetPlaceholderPrefix, StringComparison.Ordinal) || _config[key] == value)
            {
                continue;
            }

            if (SinkTarget.UsesScenarioTargetSettings && !throughProxy)
            {
                _keptSettings.Add(key);
                continue;
            }

            var shown = SecretRedactor.IsSecretKey(key) ? "a value of its own" : $"'{SecretRedactor.RedactText(written)}'";
            var why = throughProxy
                ? $"the fault {_scenario.Fault!.Name} routes the connector through the target fault proxy, so the {_environment.Name} environment must set it"
                : $"the {_environment.Name} environment points the connector at its own target and reads the results there";
            var where = SinkTarget.UsesScenarioTargetSettings ? "use a fault that does not need the proxy" : "run with --env external (ExternalEnvironmentBuilder) against that database";
            throw new ScenarioConfigurationException(
                key,
                $"Scenario '{_scenario.Name}' sets {key} to {shown}, but {why}; the harness never replaces a team's setting silently. "
                + $"Remove {key} (the environment fills it in), write ${{target.{PlaceholderName(key)}}} to say so explicitly, or {where}.");
        }

        CheckRunScoped("topics", _names.Topic, "${topic}", "the harness produces the workload to the run's own topic");
        CheckRunScoped("table.name.format", _names.Table, "${table}", "the harness reads the run's own table");
        if (_scenario.ConnectorConfig.ContainsKey("topics.regex"))
        {
            throw new ScenarioConfigurationException(
                "topics.regex",
                $"Scenario '{_scenario.Name}' sets topics.regex, but the harness produces the workload to the run's own topic and subscribes the connector to it with topics; remove topics.regex.");
        }

        // Crash windows, settling and lost records are all read from the group's committed offsets: a group the harness
        // does not watch would make every one of them wrong (a correct sink graded red for offsets nobody commits).
        if (_config.TryGetValue(GroupIdOverrideKey, out var group) && group.Trim() != _names.GroupId)
        {
            throw new ScenarioConfigurationException(
                GroupIdOverrideKey,
                $"Scenario '{_scenario.Name}' sets {GroupIdOverrideKey} to '{group}', but the harness judges the sink by the offsets committed in the group Kafka Connect names connect-<connector> ({_names.GroupId}); remove {GroupIdOverrideKey}, or write connect-${{connector}}.");
        }
    }

    private static string PlaceholderName(string key) => key.StartsWith("connection.", StringComparison.Ordinal) ? key["connection.".Length..] : key;

    private void CheckRunScoped(string key, string expected, string placeholder, string why)
    {
        if (_scenario.ConnectorConfig.ContainsKey(key) && _config[key] != expected)
        {
            throw new ScenarioConfigurationException(
                key,
                $"Scenario '{_scenario.Name}' sets {key} to '{_config[key]}', but {why} ({expected}); remove {key} or write {placeholder}.");
        }
    }

    private string ResolveTargetPlaceholders(string key, string value, IReadOnlyDictionary<string, string> settings)
    {
        var result = value;
        var start = result.IndexOf(TargetPlaceholderPrefix, StringComparison.Ordinal);
        while (start >= 0)
        {
            var end = result.IndexOf('}', start);
            var name = end < 0 ? result[(start + TargetPlaceholderPrefix.Length)..] : result[(start + TargetPlaceholderPrefix.Length)..end];
            if (end < 0 || name is not ("url" or "user" or "password"))
            {
                throw new ScenarioConfigurationException(key, $"Scenario '{_scenario.Name}': {key} uses the unknown placeholder '${{target.{name}}}'; the target placeholders are ${{target.url}}, ${{target.user}} and ${{target.password}}.");
            }

            if (!settings.TryGetValue("connection." + name, out var replacement))
            {
                throw new ScenarioConfigurationException(key, $"Scenario '{_scenario.Name}': {key} uses ${{target.{name}}}, but the {_environment.Name} environment has no connection.{name} for its target; remove it from {key}.");
            }

            result = string.Concat(result.AsSpan(0, start), replacement, result.AsSpan(end + 1));
            start = result.IndexOf(TargetPlaceholderPrefix, start + replacement.Length, StringComparison.Ordinal);
        }

        return result;
    }
}
