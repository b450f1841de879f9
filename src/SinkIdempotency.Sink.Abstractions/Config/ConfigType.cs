namespace SinkIdempotency.Sink;

/// <summary>Names the value types of configuration keys, as Connect's <c>ConfigDef.Type</c> does.</summary>
public enum ConfigType
{
    /// <summary>A boolean, <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>Free text.</summary>
    String,

    /// <summary>A 32-bit integer.</summary>
    Int,

    /// <summary>A 16-bit integer.</summary>
    Short,

    /// <summary>A 64-bit integer.</summary>
    Long,

    /// <summary>A floating point number.</summary>
    Double,

    /// <summary>A comma-separated list.</summary>
    List,

    /// <summary>A class name.</summary>
    Class,

    /// <summary>A secret shown as <c>[hidden]</c>.</summary>
    Password,
}
