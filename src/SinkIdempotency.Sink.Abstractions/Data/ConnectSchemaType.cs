namespace SinkIdempotency.Sink;

/// <summary>Names the types of Connect's data model, as they appear in JsonConverter schemas.</summary>
public enum ConnectSchemaType
{
    /// <summary>An 8-bit signed integer (<c>int8</c>).</summary>
    Int8,

    /// <summary>A 16-bit signed integer (<c>int16</c>).</summary>
    Int16,

    /// <summary>A 32-bit signed integer (<c>int32</c>).</summary>
    Int32,

    /// <summary>A 64-bit signed integer (<c>int64</c>).</summary>
    Int64,

    /// <summary>A 32-bit floating point number (<c>float</c>).</summary>
    Float32,

    /// <summary>A 64-bit floating point number (<c>double</c>).</summary>
    Float64,

    /// <summary>A boolean (<c>boolean</c>).</summary>
    Boolean,

    /// <summary>A UTF-8 string (<c>string</c>).</summary>
    String,

    /// <summary>A byte array, base64 text in JSON (<c>bytes</c>).</summary>
    Bytes,

    /// <summary>An ordered list of one item type (<c>array</c>).</summary>
    Array,

    /// <summary>A map from one key type to one value type (<c>map</c>).</summary>
    Map,

    /// <summary>A record of named, typed fields (<c>struct</c>).</summary>
    Struct,
}
