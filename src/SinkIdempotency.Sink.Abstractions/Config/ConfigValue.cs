namespace SinkIdempotency.Sink;

/// <summary>Holds the validation result of one configuration key, as Connect's <c>ConfigValue</c> does.</summary>
/// <param name="name">The key.</param>
public sealed class ConfigValue(string name)
{
    /// <summary>Gets the key.</summary>
    public string Name { get; } = name;

    /// <summary>Gets or sets the value as given (or the default), or <see langword="null"/>.</summary>
    public string? Value { get; set; }

    /// <summary>Gets the recommended values.</summary>
    public IList<string> RecommendedValues { get; } = [];

    /// <summary>Gets the error messages; empty when the value is valid.</summary>
    public IList<string> Errors { get; } = [];

    /// <summary>Gets or sets a value indicating whether the key is relevant given the other values.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool Visible { get; set; } = true;
}
