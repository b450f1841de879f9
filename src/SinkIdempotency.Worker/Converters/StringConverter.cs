using System.Text;
using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Converters;

/// <summary>Reads UTF-8 text with an optional-string schema (Connect's <c>StringConverter</c>).</summary>
internal sealed class StringConverter : IRecordConverter
{
    public (ConnectSchema? Schema, JsonNode? Value) ToConnectData(string topic, byte[]? data) =>
        data is null ? (ConnectSchema.OptionalString, null) : (ConnectSchema.OptionalString, JsonValue.Create(Encoding.UTF8.GetString(data)));
}
